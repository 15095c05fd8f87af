/**
 * Access policy SPI: a {@link dev.wirehaven.api.policy.PolicyEngine} decides an
 * {@link dev.wirehaven.api.policy.AccessRequest} (may this identity reach that address and port,
 * may this site advertise that subnet) with a {@link dev.wirehaven.api.policy.Decision}. An engine
 * that reads a policy file may also offer the operator's view of it,
 * {@link dev.wirehaven.api.policy.PolicyAdministration} (1.2).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.2.0")
package dev.wirehaven.api.policy;
