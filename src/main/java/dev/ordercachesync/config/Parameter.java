package dev.ordercachesync.config;

/** One job parameter: its name, its default (null when required or optional without default) and meaning. */
public final class Parameter {
    private final String name;
    private final String defaultValue;
    private final boolean required;
    private final String description;

    private Parameter(String name, String defaultValue, boolean required, String description) {
        this.name = name;
        this.defaultValue = defaultValue;
        this.required = required;
        this.description = description;
    }

    static Parameter required(String name, String description) {
        return new Parameter(name, null, true, description);
    }

    static Parameter optional(String name, String description) {
        return new Parameter(name, null, false, description);
    }

    static Parameter withDefault(String name, String defaultValue, String description) {
        return new Parameter(name, defaultValue, false, description);
    }

    public String name() {
        return name;
    }

    /** Null when the parameter is required or has no default. */
    public String defaultValue() {
        return defaultValue;
    }

    public boolean isRequired() {
        return required;
    }

    public String description() {
        return description;
    }
}
