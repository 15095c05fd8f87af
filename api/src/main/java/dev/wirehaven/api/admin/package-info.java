/**
 * Operator (administrator) services that the server provides for its own front ends: the web
 * console, and later the control API's admin endpoints. {@link dev.wirehaven.api.admin.AdminAuthenticator}
 * checks the admin credential; {@link dev.wirehaven.api.admin.UserAccounts} and
 * {@link dev.wirehaven.api.admin.SecondFactorEnrollment} (since 1.1) are the operator's tasks on local
 * users and their authenticators, the same that the Gogo commands carry out.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package dev.wirehaven.api.admin;
