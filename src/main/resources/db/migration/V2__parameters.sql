-- Parameters an instance has changed from their defaults.
create table instance_parameters (
    id           varchar(200) primary key,
    instance_id  varchar(32)  not null references instances (instance_id) on delete cascade,
    name         varchar(128) not null,
    param_value  varchar(4000) not null
);

create index instance_parameters_instance on instance_parameters (instance_id);
