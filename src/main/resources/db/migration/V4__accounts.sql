-- Accounts of an instance besides the default one (whose name is the instance ID).
create table accounts (
    id               varchar(200) primary key,
    instance_id      varchar(32)  not null references instances (instance_id) on delete cascade,
    name             varchar(64)  not null,
    password         varchar(64)  not null,
    privilege        varchar(32)  not null,
    engine_password  varchar(64)  not null,
    created_at       timestamp with time zone not null
);

create index accounts_instance on accounts (instance_id);
