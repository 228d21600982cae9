package dev.kvsim.rkvstore;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/** {@code kvsim.rkvstore-api.*}: the service's own API at {@code /} of the admin port. */
@ConfigMapping(prefix = "kvsim.rkvstore-api")
public interface RkvstoreApiConfig {

    /**
     * {@code AccessKeyId=AccessKeySecret} pairs. Unset: any access key is accepted and signatures are not
     * checked. Set: every call must be signed with one of them (ACS3-HMAC-SHA256 or HMAC-SHA1).
     */
    Optional<List<String>> accessKeys();

    /** The host instances show as their ConnectionDomain: one a client on this machine reaches. */
    @WithDefault("127.0.0.1")
    String connectionDomain();
}
