package dev.ordercachesync.config;

import java.util.List;

/** Every problem with the job's parameters at once, so a user fixes them in one round. */
public class InvalidParametersException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public InvalidParametersException(List<String> problems) {
        super("Invalid job parameters:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
