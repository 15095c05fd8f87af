package dev.wirehaven.monitor.alerts.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One threshold, a factory configuration ({@value ThresholdComponent#PID}{@code -<name>}). The words
 * (measure, aggregation, direction, severity) are strings rather than enums so that a wrong one is
 * refused with a message naming the key, not a conversion error from the framework.
 */
@ObjectClassDefinition(
        name = "Wirehaven alert threshold",
        description = "A level on one of the server's metrics: crossing it raises an alert, coming back past the"
                + " clear level clears it")
public @interface ThresholdConfig {

    @AttributeDefinition(description = "A short name for the threshold, shown in alerts and by wirehaven:alerts")
    String name();

    @AttributeDefinition(description = "The metric watched, such as jvm.heap.used or interface.drops")
    String metric();

    @AttributeDefinition(
            description = "Only series whose tags have these values, as tag=value (several: one per value or"
                    + " comma-separated); empty: every series of the metric")
    String[] tags() default {};

    @AttributeDefinition(
            description = "value: the sampled value (gauges); rate: the change per second between consecutive"
                    + " samples (counters; an interval where the counter went down is skipped)")
    String measure() default "value";

    @AttributeDefinition(
            description = "each: every series on its own; sum: the sum over the matching series, per value of"
                    + " the sum.by tags")
    String aggregation() default "each";

    @AttributeDefinition(
            description = "With aggregation sum: the tags that keep series apart (interface: one sum per"
                    + " interface); empty: one sum over all")
    String[] sum_by() default {};

    @AttributeDefinition(
            description = "Divide the value by the latest value of this metric with the same tags"
                    + " (jvm.heap.max: the share of the heap used); empty: the value itself")
    String relative_to() default "";

    @AttributeDefinition(description = "above: alert when the value is at or above raise; below: at or below")
    String direction() default "above";

    // NaN stands for "not set", so that a missing level is refused by its name rather than taken as 0
    @AttributeDefinition(description = "The level at which the alert is raised")
    double raise() default Double.NaN;

    @AttributeDefinition(
            description = "The level at which a raised alert clears: below raise for above, above raise for"
                    + " below, so that a value near the line does not raise and clear by turns")
    double clear() default Double.NaN;

    @AttributeDefinition(description = "How many samples in a row must be past raise before the alert is raised")
    int samples() default 1;

    @AttributeDefinition(description = "The severity of the raised alert: info, low, medium, high, critical")
    String severity() default "medium";
}
