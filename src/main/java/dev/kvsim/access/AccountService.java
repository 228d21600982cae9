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
 * CreateAccount, DescribeAccounts, DeleteAccount, ResetAccountPassword, GrantAccountPrivilege.
 * The default account is named after the instance; resetting its password changes the instance's.
 * Open connections stay authenticated across password changes.
 */
@ApplicationScoped
public class AccountService {

    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]{0,33}[a-z0-9]");

    private final InstanceStore instances;
    private final AccountStore store;
    private final RunningInstances running;

    public AccountService(InstanceStore instances, AccountStore store, RunningInstances running) {
        this.instances = instances;
        this.store = store;
        this.running = running;
    }

    /** An account as the API shows it (never its password). */
    public record AccountView(String accountName, String accountPrivilege, String accountType) {
    }

    public List<AccountView> list(String instanceId) {
        StoredInstance i = requireInstance(instanceId);
        List<AccountView> out = new ArrayList<>();
        out.add(new AccountView(i.instanceId(), Account.Privilege.RoleReadWrite.name(), "Default"));
        store.of(instanceId).forEach(a -> out.add(new AccountView(a.name(), a.privilege().name(), "Normal")));
        return out;
    }

    public AccountView create(String instanceId, String name, String password, String privilege) {
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
        Account a = new Account(name, password, parsePrivilege(privilege == null ? "RoleReadWrite" : privilege),
                InstanceIds.newInternalPassword());
        setEngineUser(instanceId, a);
        store.insert(instanceId, a);
        running.refreshPolicy(instanceId);
        Log.infof("instance %s: account %s created (%s)", instanceId, name, a.privilege());
        return new AccountView(a.name(), a.privilege().name(), "Normal");
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
            instances.setPassword(instanceId, password);
            running.refreshPolicy(instanceId);
        } else {
            Account a = requireAccount(instanceId, name);
            store.update(instanceId, new Account(a.name(), password, a.privilege(), a.enginePassword()));
            running.refreshPolicy(instanceId);
        }
        Log.infof("instance %s: password of account %s reset", instanceId, name);
    }

    public AccountView grantPrivilege(String instanceId, String name, String privilege) {
        StoredInstance i = requireNormal(instanceId);
        if (name.equals(i.instanceId())) {
            throw ServiceError.invalid("The default account's privilege cannot be changed.");
        }
        Account a = requireAccount(instanceId, name);
        Account changed = new Account(a.name(), a.password(), parsePrivilege(privilege), a.enginePassword());
        setEngineUser(instanceId, changed);
        store.update(instanceId, changed);
        Log.infof("instance %s: account %s is now %s", instanceId, name, changed.privilege());
        return new AccountView(changed.name(), changed.privilege().name(), "Normal");
    }

    /** ACL SETUSER on every node: connections logged in as the user get the new rules at once. */
    private void setEngineUser(String instanceId, Account a) {
        List<String> args = new ArrayList<>(List.of("SETUSER", a.name(), "reset"));
        args.addAll(List.of(a.aclRules().split(" ")));
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
