package dev.kvsim.access;

import jakarta.enterprise.context.ApplicationScoped;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret with which kvsim's SLA probe logs in to an instance as its default account, as a
 * customer's client would with the instance's password, which kvsim no longer knows (it keeps a
 * {@link PasswordHash} only). Random for each run of kvsim and never written anywhere. 43
 * characters: longer than any password the service accepts (8 to 32), so it is no customer's.
 */
@ApplicationScoped
public class ProbeLogin {

    private final String secret;

    public ProbeLogin() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        this.secret = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String secret() {
        return secret;
    }
}
