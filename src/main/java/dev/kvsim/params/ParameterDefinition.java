package dev.kvsim.params;

import java.util.function.Predicate;

/**
 * One instance parameter as DescribeParameters shows it.
 *
 * @param engine  true when the value is an engine setting (CONFIG SET on every node, and in each new
 *                node's config file); false when kvsim's proxy applies it
 * @param allowed the allowed values in words, for error messages
 */
public record ParameterDefinition(String name, String defaultValue, boolean modifiable, boolean engine,
                                  String description, String allowed, Predicate<String> validator) {

    public boolean accepts(String value) {
        return value != null && validator.test(value);
    }
}
