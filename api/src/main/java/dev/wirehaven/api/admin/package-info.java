/**
 * Operator (administrator) services that the server provides for its own front ends: the web
 * console, and later the control API's admin endpoints.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.wirehaven.api.admin;
