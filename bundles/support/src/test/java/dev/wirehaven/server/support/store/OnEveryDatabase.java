package dev.wirehaven.server.support.store;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs every test of the class once per database that the store serves: the class's constructor
 * takes the {@link TestDatabase.Engine} and opens its {@link TestDatabase} on it. The same tests on
 * both, so that a statement that only H2 accepts fails here and not in a PostgreSQL deployment.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedClass(name = "on {0}")
@EnumSource(TestDatabase.Engine.class)
@ExtendWith(RealPostgres.StopAfterTheRun.class)
public @interface OnEveryDatabase {}
