/**
 * Network value types shared by the other api packages: an IP prefix for tunnel addresses,
 * advertised site-to-site subnets and policy rules. They live apart so that the api stands alone:
 * a plugin compiles against this SDK without the WireGuard bundle.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.wirehaven.api.net;
