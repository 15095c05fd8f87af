#!/usr/bin/env python3
"""CPU per packet by stage of the data path, from `perf script` output of one implementation's process.

    perf record -F 499 -g -p PID -o perf.data -- sleep 8
    perf script -i perf.data -F comm,tid,ip,sym,dso | python3 perf-stages.py --hz 499 --packets N

Each sample is one 1/HZ second of CPU of one of the process's threads. It is put into one stage by
its stack: a sample inside a system call goes to what that call does (the TUN read or write, the
UDP send or receive, waiting and waking), whatever the kernel did inside it (the veth and the peer
namespace's receive work that the kernel runs in the sender's softirq count as "UDP send", as the
TCP stack's work on a written packet counts as "TUN write"); a sample in user space goes by its
leaf frame (a cipher's library or method, our Java code, the JVM/JNA/libc glue, wireguard-go's own
code); an interrupt or softirq that hit user code is a stage of its own; the JVM's own threads (GC,
JIT compilers, VM) are counted apart. Stages are the rows of the table in
bundles/wireguard/README.md ("Where the time goes"); the figure per stage is its samples' CPU time
divided by PACKETS (1420-byte packets' worth of bytes through the TUN, as tunnel-throughput.sh counts).

Java frames need the JVM's perf map in /tmp/perf-PID.map when `perf script` runs (`jcmd PID
Compiler.perfmap` right after recording, as tunnel-throughput.sh does; a map dumped at exit lacks
code that was recompiled since); without it they count as "Java code".
"""

import argparse
import re
import sys

STAGES = [
    "TUN read",
    "crypto",
    "UDP send",
    "UDP receive",
    "TUN write",
    "Java code (queues, pool, routing, NIO/JNA wrappers)",
    "native glue (libc, JNA, libjvm)",
    "wake-ups (futex, poll, scheduling)",
    "interrupts, softirq",
    "page faults",
    "other system calls",
    "JVM's own threads (GC, JIT, VM)",
    "Go user code incl. crypto, other",
]

SYSCALL = re.compile(r"^(?:__x64_sys_|__do_sys_|__se_sys_|__ia32_sys_)(\w+)")
JVM_THREAD = re.compile(r"^(C1 CompilerThre|C2 CompilerThre|GC Thread|G1 |VM Thread|VM Periodic|Sweeper|"
                        r"Common-Cleaner|Service Thread|Monitor Deflati|Notification Th)")
CRYPTO_SYMBOL = re.compile(r"chacha|poly1305|ChaCha|Poly1305|TransportCipher|IntegerPolynomial|"
                           r"org\.bouncycastle|Lorg/bouncycastle|sodium|Cipher", re.IGNORECASE)
WAITS = {"futex", "poll", "ppoll", "epoll_wait", "epoll_pwait", "epoll_pwait2", "sched_yield", "nanosleep",
         "clock_nanosleep", "select", "pselect6", "futex_waitv"}
UDP_SEND = {"sendmmsg", "sendmsg", "sendto"}
UDP_RECEIVE = {"recvmmsg", "recvmsg", "recvfrom"}
INTERRUPT = ("asm_sysvec_", "asm_common_interrupt", "irq_exit", "__do_softirq", "handle_softirqs",
             "__irq_exit_rcu", "sysvec_")


def frames_of(block):
    """(symbol, dso) of every frame, leaf first."""
    out = []
    for line in block[1:]:
        m = re.match(r"\s*[0-9a-f]+\s+(.*?)\s+\(([^)]*)\)\s*$", line)
        if m:
            sym = re.sub(r"\+0x[0-9a-f]+$", "", m.group(1))
            out.append((sym, m.group(2)))
    return out


def in_kernel(dso):
    return dso.startswith("[kernel") or dso.endswith(".ko") or dso == "[bpf_prog]"


# the function a system call enters, for kernels that inline __x64_sys_* into do_syscall_64
SYSCALL_BODIES = {
    "ksys_read": "read", "vfs_read": "read", "tun_chr_read_iter": "read",
    "ksys_write": "write", "vfs_write": "write", "tun_chr_write_iter": "write",
    "__sys_sendmmsg": "sendmmsg", "___sys_sendmsg": "sendmsg", "__sys_sendmsg": "sendmsg", "__sys_sendto": "sendto",
    "__sys_recvmmsg": "recvmmsg", "do_recvmmsg": "recvmmsg", "___sys_recvmsg": "recvmsg",
    "__sys_recvmsg": "recvmsg", "__sys_recvfrom": "recvfrom",
    "do_futex": "futex", "do_sys_poll": "poll", "do_epoll_wait": "epoll_wait", "do_sched_yield": "sched_yield",
    "hrtimer_nanosleep": "nanosleep",
}
# libc's wrappers, for a sample at the very entry or exit of a call (no kernel frame says which)
LIBC_CALLS = {
    "__sendmmsg": "sendmmsg", "sendmmsg": "sendmmsg", "__libc_sendmsg": "sendmsg", "__libc_sendto": "sendto",
    "__sendto": "sendto", "recvmmsg": "recvmmsg", "__recvmmsg": "recvmmsg", "__libc_recvmsg": "recvmsg",
    "__libc_recvfrom": "recvfrom", "__poll": "poll", "__GI___poll": "poll", "read": "read", "__libc_read": "read",
    "__GI___libc_read": "read", "write": "write", "__libc_write": "write", "__GI___libc_write": "write",
    "__futex_abstimed_wait_common": "futex", "__pthread_cond_wait": "futex", "pthread_cond_signal": "futex",
    "__GI___futex_abstimed_wait_cancelable64": "futex", "epoll_wait": "epoll_wait", "sched_yield": "sched_yield",
}


def syscall_of(kernel, frames):
    """The system call a kernel stack is in, or None."""
    for sym in reversed(kernel):  # outermost first: the call itself before what it called
        m = SYSCALL.match(sym)
        if m:
            return m.group(1)
        if sym in SYSCALL_BODIES:
            return SYSCALL_BODIES[sym]
    if "do_syscall_64" in kernel:
        for sym, dso in frames:
            if not in_kernel(dso):
                return LIBC_CALLS.get(sym, "unknown")
        return "unknown"
    return None


def classify(comm, frames):
    if JVM_THREAD.match(comm):
        return "JVM's own threads (GC, JIT, VM)"
    if not frames:
        return "other system calls"
    kernel = [s for s, d in frames if in_kernel(d)]
    if kernel:
        if "asm_exc_page_fault" in kernel or "exc_page_fault" in kernel:
            return "page faults"
        call = syscall_of(kernel, frames)
        if call:
            return syscall_stage(call, kernel, comm)
        if any("reschedule_ipi" in s or s in ("schedule", "__schedule", "preempt_schedule_irq") for s in kernel):
            return "wake-ups (futex, poll, scheduling)"
        if any(s.startswith(INTERRUPT) for s in kernel):
            return "interrupts, softirq"
        return "other system calls"
    sym, dso = frames[0]
    base = dso.rsplit("/", 1)[-1]
    if GO_PROCESS:
        return "Go user code incl. crypto, other"  # stripped: its runtime, crypto and code are one
    if "libcrypto" in base or "libsodium" in base:
        return "crypto"
    if base.startswith("perf-") or base in ("[unknown]", "[anon]") or base.startswith("[JIT]"):
        # the JDK's ChaCha20 block and Poly1305 intrinsics are the compiler stubs (JDK 21+ generates
        # them in that group; the arraycopy stubs our code calls are in another) and the JVM's perf
        # map names only the group
        if CRYPTO_SYMBOL.search(sym) or sym.startswith("StubRoutines (compilerstubs)"):
            return "crypto"
        return "Java code (queues, pool, routing, NIO/JNA wrappers)"
    if base.startswith(("libjvm", "libc.so", "libc-", "libjnidispatch", "jna", "ld-linux", "libpthread",
                        "libjava", "libnio", "libnet", "libzip")):
        return "native glue (libc, JNA, libjvm)"
    return "other system calls"


GO_PROCESS = False


def syscall_stage(name, kernel, comm):
    if name in ("read", "readv", "pread64"):
        if any(s.startswith("eventfd") for s in kernel):
            return "wake-ups (futex, poll, scheduling)"
        return "TUN read"  # the only other fd either implementation reads is its TUN
    if name in ("write", "writev", "pwrite64"):
        if any(s.startswith("eventfd") for s in kernel):
            return "wake-ups (futex, poll, scheduling)"
        return "TUN write"
    if name in UDP_SEND:
        return "UDP send"
    if name in UDP_RECEIVE:
        return "UDP receive"
    if name in WAITS:
        return "wake-ups (futex, poll, scheduling)"
    return "other system calls"


def why(frames):
    """The frame that decided: the system call, else the leaf."""
    for sym, dso in frames:
        if SYSCALL.match(sym):
            return sym + " <- " + frames[0][0]
    return "%s (%s)" % frames[0] if frames else "-"


def read_samples(stream):
    block = []
    for line in stream:
        if line.strip() == "":
            if block:
                yield block
            block = []
        else:
            block.append(line.rstrip("\n"))
    if block:
        yield block


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--hz", type=float, required=True, help="perf record's -F")
    p.add_argument("--packets", type=float, required=True, help="packets through the TUN while recording")
    p.add_argument("--label", default="", help="a title for the table")
    p.add_argument("--explain", type=int, default=0, help="also print the N most frequent (stage, frame) pairs")
    p.add_argument("--go", action="store_true", help="the process is wireguard-go (stripped binary)")
    args = p.parse_args()
    global GO_PROCESS
    GO_PROCESS = args.go
    counts = {s: 0 for s in STAGES}
    reasons = {}
    total = 0
    for block in read_samples(sys.stdin):
        header = block[0]
        m = re.match(r"\s*(.*?)\s+\d+\s*$", header)  # "comm  tid"; a thread name may hold spaces
        comm = m.group(1) if m else header.strip()
        frames = frames_of(block)
        stage = classify(comm, frames)
        counts[stage] += 1
        if args.explain:
            key = (stage, why(frames))
            reasons[key] = reasons.get(key, 0) + 1
        total += 1
    if args.packets <= 0 or total == 0:
        print("%s: no samples or no packets (samples %d, packets %d)" % (args.label, total, args.packets))
        return
    per = 1e6 / args.hz / args.packets
    print("%s: %d samples at %g Hz, %d packets; us per packet by stage" % (args.label, total, args.hz, args.packets))
    for stage in STAGES:
        if counts[stage]:
            print("  %-55s %6.2f  (%4.1f %%)" % (stage, counts[stage] * per, 100.0 * counts[stage] / total))
    print("  %-55s %6.2f" % ("total", total * per))
    for (stage, frame), n in sorted(reasons.items(), key=lambda kv: -kv[1])[:args.explain]:
        print("    %5d  %-40s %s" % (n, stage[:40], frame))


if __name__ == "__main__":
    main()
