/** The TUN device SPI: the platform seam of the data plane on the inner side. */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.wirehaven.tun;
