package dev.kvsim.faults.command;

/**
 * What a command fault can do to the command it hits, in the proxy's terms: each fault picks one
 * ({@link CommandFault#apply}), so that the proxy never asks which kind of fault it has.
 */
public interface CommandEffects<T> {

    /** The proxy answers this error line (without the leading '-') instead of running the command. */
    T error(String message);

    /** The command runs this many milliseconds late; the client's later commands wait behind it. */
    T delay(long ms);
}
