-- Passwords are kept as salted hashes from now on (V21 hashes the ones stored in clear before).
alter table instances alter column password set data type varchar(128);
alter table accounts alter column password set data type varchar(128);
