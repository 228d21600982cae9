-- Portable between H2 and PostgreSQL.
create table instances (
    instance_id        varchar(32)  primary key,
    name               varchar(128) not null,
    instance_class     varchar(128) not null,
    status             varchar(32)  not null,
    port               integer      not null unique,
    password           varchar(64),
    vpc_auth_mode      varchar(8)   not null,
    internal_password  varchar(64)  not null,
    memory_mb          bigint,
    max_connections    integer,
    bandwidth_mbps     integer,
    shard_count        integer,
    is_default         boolean      not null default false,
    created_at         timestamp with time zone not null
);

create table nodes (
    node_id      varchar(64) primary key,
    instance_id  varchar(32) not null references instances (instance_id) on delete cascade,
    role         varchar(16) not null,
    shard        integer     not null,
    port         integer     not null
);

create index nodes_instance on nodes (instance_id);
