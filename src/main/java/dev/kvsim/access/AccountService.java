package dev.kvsim.access;

import dev.kvsim.instance.InstanceIds;
import dev.kvsim.instance.RunningInstances;
import dev.kvsim.instance.InstanceStatus;
import dev.kvsim.instance.InstanceStore;
import dev.kvsim.instance.PasswordRules;
import dev.kvsim.core.ServiceError;
import dev.kvsim.instance.StoredInstance;
import io.quarkus.logging.Log;
import io.vertx.redis.client.Command;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * CreateAccount, DescribeAccounts, DeleteAccount, ResetAccountPassword, ModifyAccountPassword,
 * GrantAccountPrivilege, ModifyAccountDescription. The default account is named after the instance;
 * resetting its password changes the instance's. Open connections stay authenticated across password changes.
 */
@ApplicationScoped
public class AccountService {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,33}[a-z0-9]");

    private final InstanceStore instances;
    private final AccountStore store;
    private final RunningInstances running;
    private final PrivilegeRules rules;

    public AccountService(InstanceStore instances, AccountStore store, RunningInstances running, PrivilegeRules rules) {
        this.rules = rules;
        this.instances = instances;
        this.store = store;
        this.running = running;
    }

    /**
     * An account as the API shows it (never its password). {@code accountType} is {@value #DEFAULT_TYPE} for the
     * default account, {@value #NORMAL_TYPE} for the others.
     */
    public record AccountView(String accountName, String accountPrivilege, String accountType,
                              @com.fasterxml.jackson.annotation.JsonInclude(
                                      com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
                              String accountDescription) {
    }

    public static final String DEFAULT_TYPE = "Default";
    public static final String NORMAL_TYPE = "Normal";

    public List<AccountView> list(String instanceId) {
        StoredInstance i = requireInstance(instanceId);
        List<AccountView> out = new ArrayList<>();
        out.add(new AccountView(i.instanceId(), Account.Privilege.RoleReadWrite.name(), DEFAULT_TYPE, null));
        store.of(instanceId).forEach(a -> out.add(view(a)));
        return out;
    }

    private static AccountView view(Account a) {
        return new AccountView(a.name(), a.privilege().name(), NORMAL_TYPE, a.description());
    }

    public AccountView create(String instanceId, String name, String password, String privilege) {
        return create(instanceId, name, password, privilege, null);
    }

    /** @param description null for none */
    public AccountView create(String instanceId, String name, String password, String privilege, String description) {
        StoredInstance i = requireNormal(instanceId);
        if (name == null || name.isEmpty()) {
            throw new ServiceError(400, "MissingParameter", "accountName is required.");
        }
        if (!NAME.matcher(name).matches()) {
            throw ServiceError.invalid("The account name '" + name + "' is not valid: 2 to 35 characters, lower-case "
                    + "letters, digits and underscores, starting with a letter and ending with a letter or digit.");
        }
        if (name.equals(i.instanceId()) || name.equals("default")) {
            throw ServiceError.invalid("The account name '" + name + "' is reserved.");
        }
        if (store.find(instanceId, name).isPresent()) {
            throw new ServiceError(409, "InvalidAccountName.Duplicate", "The account '" + name + "' already exists.");
        }
        checkPassword(password);
        checkDescription(description);
        Account a = new Account(name, PasswordHash.of(password), parsePrivilege(privilege == null ? "RoleReadWrite" : privilege),
                InstanceIds.newInternalPassword(), description);
        setEngineUser(instanceId, a);
        store.insert(instanceId, a);
        running.refreshPolicy(instanceId);
        Log.infof("instance %s: account %s created (%s)", instanceId, name, a.privilege());
        return view(a);
    }

    public void delete(String instanceId, String name) {
        StoredInstance i = requireNormal(instanceId);
        if (name.equals(i.instanceId())) {
            throw ServiceError.invalid("The default account cannot be deleted.");
        }
        requireAccount(instanceId, name);
        store.delete(instanceId, name);
        running.refreshPolicy(instanceId);
        // The engine disconnects the clients logged in as a deleted user, as the service does.
        running.onEveryNode(instanceId, c -> c.send(Command.ACL, "DELUSER", name));
        Log.infof("instance %s: account %s deleted", instanceId, name);
    }

    public void resetPassword(String instanceId, String name, String password) {
        StoredInstance i = requireInstance(instanceId);
        checkPassword(password);
        if (name.equals(i.instanceId())) {
            instances.setPasswordHash(instanceId, PasswordHash.of(password));
            running.refreshPolicy(instanceId);
        } else {
            Account a = requireAccount(instanceId, name);
            store.update(instanceId, a.withPasswordHash(PasswordHash.of(password)));
            running.refreshPolicy(instanceId);
        }
        Log.infof("instance %s: password of account %s reset", instanceId, name);
    }

    /**
     * A new password given the current one (ModifyAccountPassword).
     *
     * @throws ServiceError 400 when {@code oldPassword} is not the account's password
     */
    public void changePassword(String instanceId, String name, String oldPassword, String newPassword) {
        StoredInstance i = requireInstance(instanceId);
        String current = name.equals(i.instanceId()) ? i.passwordHash() : requireAccount(instanceId, name).passwordHash();
        if (!PasswordHash.matches(current, oldPassword)) {
            throw ServiceError.invalid("The old password of account '" + name + "' is not correct.");
        }
        resetPassword(instanceId, name, newPassword);
    }

    /** @throws ServiceError 400 for the default account, whose description cannot be set, or a bad description */
    public void describe(String instanceId, String name, String description) {
        StoredInstance i = requireInstance(instanceId);
        if (name.equals(i.instanceId())) {
            throw ServiceError.invalid("The default account's description cannot be changed.");
        }
        if (description == null) {
            throw new ServiceError(400, "MissingParameter", "An account description is required.");
        }
        checkDescription(description);
        store.update(instanceId, requireAccount(instanceId, name).withDescription(description));
    }

    public AccountView grantPrivilege(String instanceId, String name, String privilege) {
        StoredInstance i = requireNormal(instanceId);
        if (name.equals(i.instanceId())) {
            throw ServiceError.invalid("The default account's privilege cannot be changed.");
        }
        Account a = requireAccount(instanceId, name);
        Account changed = a.withPrivilege(parsePrivilege(privilege));
        setEngineUser(instanceId, changed);
        store.update(instanceId, changed);
        Log.infof("instance %s: account %s is now %s", instanceId, name, changed.privilege());
        return view(changed);
    }

    /** ACL SETUSER on every node: connections logged in as the user get the new rules at once. */
    private void setEngineUser(String instanceId, Account a) {
        List<String> args = new ArrayList<>(List.of("SETUSER", a.name(), "reset"));
        args.addAll(List.of(rules.aclRules(a).split(" ")));
        running.onEveryNode(instanceId, c -> c.send(Command.ACL, args.toArray(String[]::new)));
    }

    private static Account.Privilege parsePrivilege(String privilege) {
        try {
            return Account.Privilege.valueOf(privilege);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ServiceError.invalid("accountPrivilege must be RoleReadOnly or RoleReadWrite; got '" + privilege + "'.");
        }
    }

    private static void checkPassword(String password) {
        if (password == null || password.isEmpty()) {
            throw new ServiceError(400, "MissingParameter", "accountPassword is required.");
        }
        PasswordRules.violation(password).ifPresent(v -> {
            throw new ServiceError(400, "InvalidPassword.Malformed", v);
        });
    }

    /** The service's rule: 2 to 256 characters, starting with a letter, not with http:// or https://. */
    private static void checkDescription(String description) {
        if (description == null) {
            return;
        }
        if (description.length() < 2 || description.length() > 256 || !Character.isLetter(description.charAt(0))
                || description.startsWith("http://") || description.startsWith("https://")) {
            throw ServiceError.invalid("An account description is 2 to 256 characters, starts with a letter and does not "
                    + "start with http:// or https://; got '" + description + "'.");
        }
    }

    private Account requireAccount(String instanceId, String name) {
        return store.find(instanceId, name).orElseThrow(() -> new ServiceError(404, "InvalidAccountName.NotFound",
                "The account '" + name + "' does not exist on instance " + instanceId + "."));
    }

    private StoredInstance requireInstance(String instanceId) {
        return instances.require(instanceId);
    }

    private StoredInstance requireNormal(String instanceId) {
        StoredInstance i = requireInstance(instanceId);
        if (i.status() != InstanceStatus.Normal) {
            throw ServiceError.wrongState(instanceId, i.status());
        }
        return i;
    }
}
