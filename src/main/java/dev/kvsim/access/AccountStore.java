package dev.kvsim.access;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Instances' accounts besides the default one. */
@ApplicationScoped
public class AccountStore {

    @Transactional
    public List<Account> of(String instanceId) {
        return AccountEntity.<AccountEntity>list("instanceId", instanceId).stream()
                .sorted(Comparator.comparing(e -> e.name))
                .map(AccountStore::toRecord)
                .toList();
    }

    @Transactional
    public Optional<Account> find(String instanceId, String name) {
        return AccountEntity.<AccountEntity>findByIdOptional(instanceId + "/" + name).map(AccountStore::toRecord);
    }

    @Transactional
    public void insert(String instanceId, Account a) {
        AccountEntity e = new AccountEntity();
        e.id = instanceId + "/" + a.name();
        e.instanceId = instanceId;
        e.name = a.name();
        e.passwordHash = a.passwordHash();
        e.privilege = a.privilege().name();
        e.enginePassword = a.enginePassword();
        e.description = a.description();
        e.createdAt = Instant.now();
        e.persist();
    }

    @Transactional
    public void update(String instanceId, Account a) {
        AccountEntity e = AccountEntity.findById(instanceId + "/" + a.name());
        e.passwordHash = a.passwordHash();
        e.privilege = a.privilege().name();
        e.description = a.description();
    }

    @Transactional
    public void delete(String instanceId, String name) {
        AccountEntity.deleteById(instanceId + "/" + name);
    }

    private static Account toRecord(AccountEntity e) {
        return new Account(e.name, e.passwordHash, Account.Privilege.valueOf(e.privilege), e.enginePassword, e.description);
    }
}
