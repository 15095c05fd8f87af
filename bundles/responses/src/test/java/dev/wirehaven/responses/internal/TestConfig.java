package dev.wirehaven.responses.internal;

import java.lang.annotation.Annotation;

/** The responses' configuration as a test gives it. */
record TestConfig(String[] allowList, String maxDuration, String[] stepUpMethods)
        implements SecurityResponsesComponent.Config {

    @Override
    public Class<? extends Annotation> annotationType() {
        return SecurityResponsesComponent.Config.class;
    }
}
