/**
 * Monitoring SPI: a {@link dev.wirehaven.api.monitor.MonitoringSink} receives metric samples,
 * session events and security events from the server, to store, forward or act on them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package dev.wirehaven.api.monitor;
