package dev.kvsim.instance;

import dev.kvsim.core.ServiceError;

import java.util.Map;
import java.util.TreeMap;

/** The service's rules for an instance's tags: at most 20, keys of 1 to 128 characters, values up to 128. */
public final class InstanceTags {

    public static final int MAX_TAGS = 20;
    private static final int MAX_LENGTH = 128;

    private InstanceTags() {
    }

    /**
     * @return the tags, sorted by key
     * @throws ServiceError 400 InvalidParameter naming the tag that breaks a rule
     */
    public static Map<String, String> check(Map<String, String> tags) {
        Map<String, String> out = new TreeMap<>();
        if (tags == null) {
            return out;
        }
        tags.forEach((key, value) -> {
            if (key == null || key.isEmpty() || key.length() > MAX_LENGTH) {
                throw ServiceError.invalid("A tag key must be 1 to 128 characters; got '" + key + "'.");
            }
            String lower = key.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("aliyun") || lower.startsWith("acs:") || lower.startsWith("http://")
                    || lower.startsWith("https://")) {
                throw ServiceError.invalid("The tag key '" + key + "' may not start with aliyun, acs:, http:// or https://.");
            }
            String v = value == null ? "" : value;
            if (v.length() > MAX_LENGTH) {
                throw ServiceError.invalid("The value of tag '" + key + "' is longer than 128 characters.");
            }
            out.put(key, v);
        });
        return out;
    }

    /** @throws ServiceError 400 when the instance would have more than 20 tags */
    public static void checkCount(String instanceId, Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw ServiceError.invalid("An instance has at most " + MAX_TAGS + " tags; " + instanceId + " would have "
                    + tags.size() + ".");
        }
    }
}
