/**
 * What the embedded store publishes beyond its {@code javax.sql.DataSource} service: the database
 * opened by a process that runs while no server does (the offline command-line tools).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package dev.wirehaven.store.embedded;
