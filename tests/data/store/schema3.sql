PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE findings (
  rowid INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  schema_version INTEGER NOT NULL,
  source TEXT NOT NULL,
  type TEXT NOT NULL,
  severity INTEGER NOT NULL,
  confidence REAL NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  asset_ip TEXT NOT NULL,
  asset_mac TEXT NOT NULL,
  asset_hostname TEXT NOT NULL,
  asset_host_id TEXT NOT NULL,
  evidence TEXT NOT NULL,
  fingerprint_fields TEXT NOT NULL,
  refs TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  count INTEGER NOT NULL,
  status TEXT NOT NULL,
  UNIQUE (tenant, id)
);
INSERT INTO findings VALUES(1,'acme','72f008fbd1d9b9f273f419038d5ba18c1809f41711502888d83e90cc915c54a9',1,'sensor','net.tls.weak_cipher',3,1.0,'weak cipher','','10.0.0.1','','Web1.Example','','{}','[]','[{"framework":"cis-controls-v8","id":"3.10"}]',1793491200000000,1793750400000000,2,'new');
INSERT INTO findings VALUES(2,'acme','82ae03b69fff22a618cd2d014bdaf67d1c0a9f92866034e27933570a659048a3',1,'sensor','net.auth.cleartext.ftp',4,1.0,'ftp password','','10.0.0.2','AA:BB:CC:00:11:22','','','{}','[]','[]',1793577600000000,1793577600000000,1,'resolved');
INSERT INTO findings VALUES(3,'acme','d9feca5865f096b5d8dcff10597357ff10e72f2c2ffab65424921770428b9622',1,'scanner','host.malware.yara',2,1.0,'yara hit','','','','db1','h-42','{"path":"/tmp/x","rule":"r1"}','["path","rule"]','[]',1793664000000000,1793664000000000,1,'acknowledged');
INSERT INTO findings VALUES(4,'beta','09a24b3e313a2f5b9d1ac805ddd1c23f0b60acb06c5e64266a1ec11c4945e40b',1,'sensor','net.tls.weak_cipher',1,1.0,'tenant b','','10.0.0.1','','','','{}','[]','[]',1793836800000000,1793836800000000,1,'new');
CREATE TABLE finding_history (
  seq INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  id TEXT NOT NULL,
  at INTEGER NOT NULL,
  by TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status TEXT NOT NULL,
  note TEXT NOT NULL
);
INSERT INTO finding_history VALUES(1,'acme','d9feca5865f096b5d8dcff10597357ff10e72f2c2ffab65424921770428b9622',1795742783349678,'ana','new','acknowledged','owner asked');
INSERT INTO finding_history VALUES(2,'acme','82ae03b69fff22a618cd2d014bdaf67d1c0a9f92866034e27933570a659048a3',1795742783618948,'root','new','resolved','fixed');
CREATE TABLE assets (
  rowid INTEGER PRIMARY KEY,
  tenant TEXT NOT NULL,
  ip TEXT NOT NULL,
  mac TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  doc TEXT NOT NULL,
  UNIQUE (tenant, ip)
);
CREATE TABLE asset_services (
  tenant TEXT NOT NULL,
  ip TEXT NOT NULL,
  port INTEGER NOT NULL,
  transport TEXT NOT NULL,
  PRIMARY KEY (tenant, ip, port, transport)
) WITHOUT ROWID;
CREATE INDEX findings_by_last_seen ON findings (tenant, last_seen);
CREATE INDEX findings_by_severity ON findings (tenant, severity, last_seen);
CREATE INDEX findings_by_type ON findings (tenant, type);
CREATE INDEX findings_by_ip ON findings (tenant, asset_ip);
CREATE INDEX findings_by_hostname ON findings (tenant, asset_hostname COLLATE NOCASE);
CREATE INDEX findings_by_host_id ON findings (tenant, asset_host_id);
CREATE INDEX finding_history_by_id ON finding_history (tenant, id, seq);
CREATE TRIGGER findings_reopened AFTER UPDATE OF status ON findings
WHEN OLD.status = 'resolved' AND NEW.status = 'new' AND NEW.last_seen > OLD.last_seen
BEGIN
  INSERT INTO finding_history (tenant, id, at, by, from_status, to_status, note)
  VALUES (NEW.tenant, NEW.id, NEW.last_seen, 'vigil import', 'resolved', 'new',
          'reopened: seen again after it was resolved');
END;
CREATE INDEX asset_services_by_port ON asset_services (tenant, port);
CREATE INDEX findings_by_status ON findings (tenant, status, last_seen);
COMMIT;
PRAGMA user_version = 3;
