// The alliances graph model in Neo4j: generated from alliances/model.py; a test keeps it in step.
// Every project node carries the label AlliancesData plus one model label; ids are unique across
// the project. Sources are AlliancesSource, loaded datasets AlliancesDataset; each node is linked
// to its source by SOURCED_FROM. Run as-is in Neo4j Browser or cypher-shell (idempotent).
//
// Node labels:
//   Region          地区 — a city, province or district
//   Zone            园区 — a development zone or industrial park
//   Organization    组织 — a Party body, government body, enterprise or social organisation
//   BusinessCircle  商圈 — a commercial district
//   Alliance        联盟 — a Party-building alliance
//   Agreement       协议 — a signed co-building agreement
//   Activity        活动 — a joint activity, visit or campaign
//   Project         项目 — an industrial project that followed
//   Person          人物 — a named person
//   Award           荣誉 — an honour or title received
//   Station         党建指导站 — a Party-building guidance station (e.g. for small and micro firms)
//   ContactPoint    党建联系点 — a Party-building contact point
//   DemonstrationSite 党建示范点 — a Party-building demonstration site, hosted by an organisation
//   IndustryBloc    行业联体 — firms of one industry grouped under a leading enterprise
//   Problem         企业诉求 — a problem an enterprise raised (status open or resolved; date = raised)
// Relationship types (start → end), category:
//   LOCATED_IN       位于 (geography): BusinessCircle→Region, BusinessCircle→Zone, ContactPoint→Region, ContactPoint→Zone, DemonstrationSite→Region, DemonstrationSite→Zone, Organization→Region, Organization→Zone, Person→Region, Person→Zone, Project→Region, Project→Zone, Station→Region, Station→Zone, Zone→Region, Zone→Zone
//   PART_OF          隶属 (geography): Region→Region, Zone→Region, Zone→Zone
//   HELD_IN          举办地 (geography): Activity→Region, Activity→Zone, Agreement→Region
//   GUIDES           指导 (partnership): Organization→Organization
//   MANAGES          管理 (partnership): Organization→Organization
//   BRANCH_OF        所属企业 (partnership): Organization→Organization
//   GOVERNS          统领 (partnership): Organization→BusinessCircle
//   MEMBER_OF        成员 (partnership): BusinessCircle→Alliance, Organization→Alliance
//   FOUNDED          发起 (partnership): Organization→Alliance, Region→Alliance
//   PARTY_TO         签约方 (partnership): Alliance→Agreement, Organization→Agreement
//   ORGANIZED        主办 (partnership): Alliance→Activity, Organization→Activity
//   PARTICIPATED_IN  参与 (partnership): Alliance→Activity, Organization→Activity
//   PRODUCED         促成 (partnership): Activity→Project, Alliance→Project
//   LEADS            负责 (partnership): Person→Organization
//   RECEIVED         获得 (recognition): Organization→Award
//   SERVES           服务 (work): ContactPoint→IndustryBloc, ContactPoint→Organization, Station→IndustryBloc, Station→Organization
//   HOSTED_BY        设于 (work): ContactPoint→Organization, DemonstrationSite→Organization, Station→Organization
//   LEADS_BLOC       牵头 (work): Organization→IndustryBloc
//   IN_BLOC          属于联体 (work): Organization→IndustryBloc
//   INSTRUCTS        指导员 (work): Person→IndustryBloc, Person→Organization
//   PAIRED_WITH      结对 (work): Person→Person
//   CONTACTS         联系 (work): Person→Organization
//   RAISED           反映 (work): Organization→Problem
//   RESOLVED         解决 (work): Organization→Problem, Person→Problem
// Node properties: id, label, name, name_en, kind, credit_code, region, date, date_note, status, aliases, description, synthetic, source, paragraphs, plus one property per figure and figures_json (the figures' provenance),
// date_precision (year, month or day: date is a DATE, the period's first day) and datasets.
// Relationship properties: role, date, date_note, status, source, paragraphs, date_precision, datasets.
// Registry entries: RegistryEntry nodes (id, name, credit_code, kind, place, industry, size, registered, match, match_method, match_score, source_file, source_sheet, source_row, imported), each REGISTERED_AS the Organization it was matched to (method, score).

CREATE CONSTRAINT AlliancesData_id_unique IF NOT EXISTS FOR (n:AlliancesData) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT AlliancesSource_id_unique IF NOT EXISTS FOR (n:AlliancesSource) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT AlliancesDataset_id_unique IF NOT EXISTS FOR (n:AlliancesDataset) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT RegistryEntry_id_unique IF NOT EXISTS FOR (n:RegistryEntry) REQUIRE n.id IS UNIQUE;
CREATE INDEX Region_name IF NOT EXISTS FOR (n:Region) ON (n.name);
CREATE INDEX Zone_name IF NOT EXISTS FOR (n:Zone) ON (n.name);
CREATE INDEX Organization_name IF NOT EXISTS FOR (n:Organization) ON (n.name);
CREATE INDEX BusinessCircle_name IF NOT EXISTS FOR (n:BusinessCircle) ON (n.name);
CREATE INDEX Alliance_name IF NOT EXISTS FOR (n:Alliance) ON (n.name);
CREATE INDEX Agreement_name IF NOT EXISTS FOR (n:Agreement) ON (n.name);
CREATE INDEX Activity_name IF NOT EXISTS FOR (n:Activity) ON (n.name);
CREATE INDEX Project_name IF NOT EXISTS FOR (n:Project) ON (n.name);
CREATE INDEX Person_name IF NOT EXISTS FOR (n:Person) ON (n.name);
CREATE INDEX Award_name IF NOT EXISTS FOR (n:Award) ON (n.name);
CREATE INDEX Station_name IF NOT EXISTS FOR (n:Station) ON (n.name);
CREATE INDEX ContactPoint_name IF NOT EXISTS FOR (n:ContactPoint) ON (n.name);
CREATE INDEX DemonstrationSite_name IF NOT EXISTS FOR (n:DemonstrationSite) ON (n.name);
CREATE INDEX IndustryBloc_name IF NOT EXISTS FOR (n:IndustryBloc) ON (n.name);
CREATE INDEX Problem_name IF NOT EXISTS FOR (n:Problem) ON (n.name);
CREATE FULLTEXT INDEX alliances_names IF NOT EXISTS
FOR (n:AlliancesData) ON EACH [n.name, n.name_en, n.aliases, n.description]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'cjk'}};
