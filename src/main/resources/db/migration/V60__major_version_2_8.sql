-- Instances run as their engine major version from now on, one of 4.0, 5.0, 6.0 and 7.0 (the service's choices):
-- an instance an earlier kvsim created as 2.8 (which it only labelled) runs as 4.0, the oldest kvsim emulates.
update instances set major_version = '4.0' where major_version = '2.8';
