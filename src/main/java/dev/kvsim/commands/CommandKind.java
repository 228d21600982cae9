package dev.kvsim.commands;

import java.util.Set;

/**
 * How monitoring counts a command, from the engine's own flags: its family (a read, a write, or
 * anything else) and whether it may block (BLPOP, XREAD BLOCK …), whose wait is the client's choice
 * and not the service's latency.
 */
public enum CommandKind {

    READ(Family.READ, false),
    WRITE(Family.WRITE, false),
    OTHER(Family.OTHER, false),
    BLOCKING_READ(Family.READ, true),
    BLOCKING_WRITE(Family.WRITE, true),
    BLOCKING_OTHER(Family.OTHER, true);

    /** The families the service's monitoring splits requests into. */
    public enum Family {
        READ, WRITE, OTHER
    }

    private final Family family;
    private final boolean blocking;

    CommandKind(Family family, boolean blocking) {
        this.family = family;
        this.blocking = blocking;
    }

    public Family family() {
        return family;
    }

    public boolean blocking() {
        return blocking;
    }

    /** From the engine's lower-case COMMAND flags: {@code write} before {@code readonly}; {@code blocking} (Redis 7). */
    static CommandKind of(Set<String> flags) {
        boolean blocks = flags.contains("blocking");
        if (flags.contains("write")) {
            return blocks ? BLOCKING_WRITE : WRITE;
        }
        if (flags.contains("readonly")) {
            return blocks ? BLOCKING_READ : READ;
        }
        return blocks ? BLOCKING_OTHER : OTHER;
    }
}
