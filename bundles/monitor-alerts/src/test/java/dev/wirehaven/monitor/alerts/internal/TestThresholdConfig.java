package dev.wirehaven.monitor.alerts.internal;

import java.lang.annotation.Annotation;
import java.util.Properties;

/**
 * A threshold configuration as a test or a shipped .cfg file gives it: the annotation's defaults unless
 * set, the way Declarative Services fills a typed configuration.
 */
final class TestThresholdConfig implements ThresholdConfig {

    private String name;
    private String metric;
    private String[] tags = {};
    private String measure = "value";
    private String aggregation = "each";
    private String[] sumBy = {};
    private String relativeTo = "";
    private String direction = "above";
    private double raise = Double.NaN;
    private double clear = Double.NaN;
    private int samples = 1;
    private String severity = "medium";

    static TestThresholdConfig threshold(String name, String metric, double raise, double clear) {
        TestThresholdConfig c = new TestThresholdConfig();
        c.name = name;
        c.metric = metric;
        c.raise = raise;
        c.clear = clear;
        return c;
    }

    /** The keys of a .cfg file, with the same defaults. */
    static TestThresholdConfig of(Properties p) {
        TestThresholdConfig c = new TestThresholdConfig();
        c.name = p.getProperty("name");
        c.metric = p.getProperty("metric");
        c.tags = p.containsKey("tags") ? new String[] {p.getProperty("tags")} : c.tags;
        c.measure = p.getProperty("measure", c.measure);
        c.aggregation = p.getProperty("aggregation", c.aggregation);
        c.sumBy = p.containsKey("sum.by") ? new String[] {p.getProperty("sum.by")} : c.sumBy;
        c.relativeTo = p.getProperty("relative.to", c.relativeTo);
        c.direction = p.getProperty("direction", c.direction);
        c.raise = Double.parseDouble(p.getProperty("raise", "NaN"));
        c.clear = Double.parseDouble(p.getProperty("clear", "NaN"));
        c.samples = Integer.parseInt(p.getProperty("samples", "1"));
        c.severity = p.getProperty("severity", c.severity);
        return c;
    }

    Threshold build() {
        return Threshold.from(this);
    }

    TestThresholdConfig clear(double value) {
        this.clear = value;
        return this;
    }

    TestThresholdConfig tags(String... values) {
        this.tags = values;
        return this;
    }

    TestThresholdConfig measure(String value) {
        this.measure = value;
        return this;
    }

    TestThresholdConfig sum(String... by) {
        this.aggregation = "sum";
        this.sumBy = by;
        return this;
    }

    TestThresholdConfig aggregation(String value) {
        this.aggregation = value;
        return this;
    }

    TestThresholdConfig sumBy(String... by) {
        this.sumBy = by;
        return this;
    }

    TestThresholdConfig relativeTo(String value) {
        this.relativeTo = value;
        return this;
    }

    TestThresholdConfig direction(String value) {
        this.direction = value;
        return this;
    }

    TestThresholdConfig samples(int value) {
        this.samples = value;
        return this;
    }

    TestThresholdConfig severity(String value) {
        this.severity = value;
        return this;
    }

    @Override
    public Class<? extends Annotation> annotationType() {
        return ThresholdConfig.class;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String metric() {
        return metric;
    }

    @Override
    public String[] tags() {
        return tags.clone();
    }

    @Override
    public String measure() {
        return measure;
    }

    @Override
    public String aggregation() {
        return aggregation;
    }

    @Override
    public String[] sum_by() {
        return sumBy.clone();
    }

    @Override
    public String relative_to() {
        return relativeTo;
    }

    @Override
    public String direction() {
        return direction;
    }

    @Override
    public double raise() {
        return raise;
    }

    @Override
    public double clear() {
        return clear;
    }

    @Override
    public int samples() {
        return samples;
    }

    @Override
    public String severity() {
        return severity;
    }
}
