/**
 * The WireGuard device SDK: create a device over a TUN device and a UDP bind, configure it the way
 * the cross-platform userspace API does, and read its state.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.4.0")
package dev.wirehaven.wireguard;
