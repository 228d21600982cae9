-- Whitelist groups of an instance; none stored means the default group with 127.0.0.1.
create table security_ip_groups (
    id           varchar(200)   primary key,
    instance_id  varchar(32)    not null references instances (instance_id) on delete cascade,
    group_name   varchar(128)   not null,
    ips          varchar(40000) not null
);

create index security_ip_groups_instance on security_ip_groups (instance_id);
