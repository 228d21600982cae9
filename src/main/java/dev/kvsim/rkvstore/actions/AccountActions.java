package dev.kvsim.rkvstore.actions;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.kvsim.access.AccountService;
import dev.kvsim.access.AccountService.AccountView;
import dev.kvsim.rkvstore.ActionTable;
import dev.kvsim.rkvstore.RpcActions;
import dev.kvsim.rkvstore.RpcRequest;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Accounts: CreateAccount, DescribeAccounts, DeleteAccount, ResetAccountPassword, ModifyAccountPassword,
 * GrantAccountPrivilege, ModifyAccountDescription. The default account is named after the instance.
 */
@ApplicationScoped
public class AccountActions implements RpcActions {

    private final AccountService accounts;

    public AccountActions(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public void register(ActionTable table) {
        table.add("CreateAccount", this::create);
        table.add("DescribeAccounts", this::describe);
        table.add("DeleteAccount", this::delete);
        table.add("ResetAccountPassword", this::reset);
        table.add("ModifyAccountPassword", this::modifyPassword);
        table.add("GrantAccountPrivilege", this::grant);
        table.add("ModifyAccountDescription", this::modifyDescription);
    }

    /** The 2.23.2 SDK reads AcountName (sic), newer ones AccountName: both are sent. */
    public record Created(String instanceId, @JsonProperty("AcountName") String acountName, String accountName) {
    }

    private Created create(RpcRequest r) {
        String id = r.instanceId();
        String name = r.required("AccountName");
        String password = r.required("AccountPassword");
        r.oneOf("AccountType", "Normal", List.of("Normal"));
        AccountView a = accounts.create(id, name, password, r.string("AccountPrivilege"), r.string("AccountDescription"));
        return new Created(id, a.accountName(), a.accountName());
    }

    public record Privilege(String accountPrivilege) {
    }

    public record DatabasePrivileges(List<Privilege> databasePrivilege) {
    }

    public record Account(String instanceId, String accountName, String accountStatus, String accountType,
                          String accountDescription, DatabasePrivileges databasePrivileges) {
    }

    public record AccountList(List<Account> account) {
    }

    public record Accounts(AccountList accounts) {
    }

    /** The default account first ("Super" here, "Default" in the admin API), then the others by name. */
    private Accounts describe(RpcRequest r) {
        String id = r.instanceId();
        String only = r.string("AccountName");
        List<Account> list = accounts.list(id).stream()
                .filter(a -> only == null || only.equals(a.accountName()))
                .map(a -> new Account(id, a.accountName(), "Available",
                        AccountService.DEFAULT_TYPE.equals(a.accountType()) ? "Super" : "Normal",
                        a.accountDescription(), new DatabasePrivileges(List.of(new Privilege(a.accountPrivilege())))))
                .toList();
        return new Accounts(new AccountList(list));
    }

    private Object delete(RpcRequest r) {
        accounts.delete(r.instanceId(), r.required("AccountName"));
        return null;
    }

    private Object reset(RpcRequest r) {
        accounts.resetPassword(r.instanceId(), r.required("AccountName"), r.required("AccountPassword"));
        return null;
    }

    private Object modifyPassword(RpcRequest r) {
        accounts.changePassword(r.instanceId(), r.required("AccountName"), r.required("OldAccountPassword"),
                r.required("NewAccountPassword"));
        return null;
    }

    private Object grant(RpcRequest r) {
        accounts.grantPrivilege(r.instanceId(), r.required("AccountName"), r.required("AccountPrivilege"));
        return null;
    }

    private Object modifyDescription(RpcRequest r) {
        accounts.describe(r.instanceId(), r.required("AccountName"), r.required("AccountDescription"));
        return null;
    }
}
