/**
 * Access policy SPI: a {@link dev.wirehaven.api.policy.PolicyEngine} decides an
 * {@link dev.wirehaven.api.policy.AccessRequest} (may this identity reach that address and port,
 * may this site advertise that subnet) with a {@link dev.wirehaven.api.policy.Decision}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.wirehaven.api.policy;
