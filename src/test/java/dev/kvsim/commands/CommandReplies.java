package dev.kvsim.commands;

import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/** A minimal COMMAND reply for tests that need a command table no engine has (a module's command, say). */
public final class CommandReplies {

    private CommandReplies() {
    }

    /** One COMMAND entry: name, arity, flags, first key, last key, step. */
    public static Response entry(String name, int arity, List<String> flags, int firstKey, int lastKey, int step) {
        return array(bulk(name), number(arity), array(flags.stream().map(CommandReplies::bulk).toArray(Response[]::new)),
                number(firstKey), number(lastKey), number(step));
    }


    public static Response array(Response... items) {
        return new Response() {
            @Override
            public ResponseType type() {
                return ResponseType.MULTI;
            }

            @Override
            public int size() {
                return items.length;
            }

            @Override
            public Response get(int index) {
                return items[index];
            }

            @Override
            public Iterator<Response> iterator() {
                return List.of(items).iterator();
            }

            @Override
            public String toString() {
                return Arrays.toString(items);
            }
        };
    }

    public static Response bulk(String value) {
        return new Response() {
            @Override
            public ResponseType type() {
                return ResponseType.BULK;
            }

            @Override
            public String toString() {
                return value;
            }
        };
    }

    public static Response number(int value) {
        return new Response() {
            @Override
            public ResponseType type() {
                return ResponseType.NUMBER;
            }

            @Override
            public Integer toInteger() {
                return value;
            }

            @Override
            public String toString() {
                return String.valueOf(value);
            }
        };
    }
}
