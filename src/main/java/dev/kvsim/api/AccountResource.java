package dev.kvsim.api;

import dev.kvsim.access.AccountService;
import dev.kvsim.access.AccountService.AccountView;
import dev.kvsim.core.ServiceError;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** An instance's accounts (CreateAccount, DescribeAccounts, ResetAccountPassword, GrantAccountPrivilege). */
@Path("/api/v1/instances/{id}/accounts")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final AccountService accounts;

    public AccountResource(AccountService accounts) {
        this.accounts = accounts;
    }

    public record CreateAccount(String accountName, String accountPassword, String accountPrivilege,
                                String accountDescription) {
    }

    public record PasswordChange(String accountPassword) {
    }

    public record PrivilegeChange(String accountPrivilege) {
    }

    @GET
    public List<AccountView> list(@PathParam("id") String id) {
        return accounts.list(id);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@PathParam("id") String id, CreateAccount body) {
        CreateAccount b = require(body);
        return Response.status(201).entity(accounts.create(id, b.accountName(), b.accountPassword(), b.accountPrivilege(),
                b.accountDescription()))
                .build();
    }

    @DELETE
    @Path("{name}")
    public Response delete(@PathParam("id") String id, @PathParam("name") String name) {
        accounts.delete(id, name);
        return Response.noContent().build();
    }

    @PUT
    @Path("{name}/password")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response resetPassword(@PathParam("id") String id, @PathParam("name") String name, PasswordChange body) {
        accounts.resetPassword(id, name, require(body).accountPassword());
        return Response.noContent().build();
    }

    @PUT
    @Path("{name}/privilege")
    @Consumes(MediaType.APPLICATION_JSON)
    public AccountView grantPrivilege(@PathParam("id") String id, @PathParam("name") String name, PrivilegeChange body) {
        return accounts.grantPrivilege(id, name, require(body).accountPrivilege());
    }

    private static <T> T require(T body) {
        if (body == null) {
            throw new ServiceError(400, "MissingParameter", "A JSON body is required.");
        }
        return body;
    }
}
