# shellcheck shell=bash
# Sourced by bin/wirehaven and bin/wirehaven-wg, which check this file and bin/ before sourcing it.
#
# Run as root, Wirehaven runs code from bin/, bundle/ and deploy/ (FileInstall starts a jar put there within a
# second) and takes its configuration from etc/. Whoever can write to one of them, to a file in them, or to a
# directory above the installation (and so swap the whole tree) runs code as root. A path that every user can
# write to is refused here, before the JVM loads anything: inside the JVM it would be too late, the launcher has
# loaded bundle/ by then. The server logs a warning at start for the lesser cases (write access of a group, files
# of another user). A directory above with the sticky bit (like /tmp) is fine: others cannot rename or remove
# what is in it.
#
#   refuse_writable_by_everyone PROGRAM HOME DIR...   exits 1 naming each unsafe path and its fix
refuse_writable_by_everyone() {
  local me="$1" home="$2"
  shift 2
  [ "$(id -u)" = 0 ] || return 0
  local unsafe=() dir path
  dir="$home"
  while [ "$dir" != / ]; do
    dir="$(dirname "$dir")"
    if [ -n "$(find "$dir" -maxdepth 0 -perm -0002 ! -perm -1000 2>/dev/null)" ]; then
      unsafe+=("$dir")
    fi
  done
  if [ -n "$(find "$home" -maxdepth 0 -perm -0002 2>/dev/null)" ]; then
    unsafe+=("$home")
  fi
  for dir in "$@"; do
    [ -d "$home/$dir" ] || continue
    # -L: a linked jar counts by the file it loads (a link's own mode is always rwxrwxrwx)
    while IFS= read -r -d '' path; do
      unsafe+=("$path")
    done < <(find -L "$home/$dir" -maxdepth 1 -perm -0002 -print0 2>/dev/null | sort -z)
  done
  [ "${#unsafe[@]}" -eq 0 ] && return 0
  for path in "${unsafe[@]}"; do
    echo "$me: $path is writable by every user; run as root, anyone could run code as root through it. Run: chmod o-w $path" >&2
  done
  echo "$me: not starting as root while the installation can be changed by every user (see above)." >&2
  exit 1
}
