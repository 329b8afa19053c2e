package dev.ordercachesync.state;

import java.util.List;

/** A state type would be serialized with Kryo; the message says which and how to fix it. */
public class KryoStateTypeException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public KryoStateTypeException(List<String> problems) {
        super("State types that would be serialized with Kryo (its state cannot evolve, so a later change to "
                + "the type would make savepoints unreadable):\n  - " + String.join("\n  - ", problems)
                + "\nMake each type a Flink POJO (public class, public no-argument constructor, every field public or "
                + "with getter and setter, no interface, Object or raw collection fields), or give its state "
                + "descriptor an explicit TypeSerializer.");
        this.problems = List.copyOf(problems);
    }

    /** One entry per offending state: operator uid, state name and the reason. */
    public List<String> problems() {
        return problems;
    }
}
