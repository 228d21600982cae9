-- What describes an instance beside its class (both APIs show it): where it lives (region, zones, network),
-- the engine major version it was created with, its tags (a JSON object), release protection, and the
-- idempotency token of the CreateInstance call that made it. Rows from before stay in the default region.
alter table instances add column region_id varchar(64);
alter table instances add column zone_id varchar(64);
alter table instances add column secondary_zone_id varchar(64);
alter table instances add column network_type varchar(16);
alter table instances add column vpc_id varchar(64);
alter table instances add column vswitch_id varchar(64);
alter table instances add column major_version varchar(8);
alter table instances add column tags varchar(8000);
alter table instances add column release_protection boolean not null default false;
alter table instances add column client_token varchar(64);

-- an account's description (CreateAccount, ModifyAccountDescription)
alter table accounts add column description varchar(256);
