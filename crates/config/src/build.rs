//! State shared by the vendor parsers while a configuration is read, the
//! commands IOS, ASA and PIX write alike, and the final assembly into the
//! neutral [`DeviceConfig`].

use crate::acl::{parse_entry, Syntax};
use crate::cryptomap::{lifetime_pairs, normalise_transforms, MapDraft};
use crate::ike::{Defaults, PolicyDraft};
use crate::nat::{resolve, NatStmt, RouteMapEntry};
use crate::objects::Objects;
use crate::tree::{Line, Marks, Tree};
use crate::type7::key_digest;
use crate::util::{ipv4, origin};
use ipsec_doctor_model::config::{
    Acl, DeviceConfig, EntryIsakmpProfile, Ikev2Proposal, Interface, Origin, Platform,
    PresharedKey, SaLifetime, TransformSet,
};
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// ASA and PIX global IPsec SA lifetime when not configured
/// (`crypto ipsec security-association lifetime seconds 28800`); IOS uses
/// the model's default (3600 s).
pub const ASA_SA_SECONDS: u32 = 28_800;

/// Something said about an interface by its name (ASA/PIX `nameif`),
/// applied once every interface is known.
#[derive(Debug, Clone)]
pub enum Binding {
    /// `crypto map NAME interface IF`.
    CryptoMap(String, String),
    /// `mtu IF N`.
    Mtu(String, u16),
    /// PIX `ip address IF A M`.
    Address(String, Ipv4Addr, Ipv4Addr),
    /// PIX `ip address IF dhcp|pppoe [setroute]`: assigned at run time.
    DynamicAddress(String),
}

/// A configuration being read.
pub struct Builder {
    /// The result so far.
    pub cfg: DeviceConfig,
    /// Names, objects, object-groups.
    pub objs: Objects,
    /// Lines understood.
    pub marks: Marks,
    /// ISAKMP policies by priority.
    pub policies: BTreeMap<u32, PolicyDraft>,
    /// Defaults for unset policy attributes.
    pub policy_defaults: Defaults,
    /// DH group of a bare `set pfs`.
    pub pfs_default: u8,
    /// Static crypto map entries.
    pub maps: BTreeMap<(String, u32), MapDraft>,
    /// Dynamic map entries.
    pub dyn_maps: BTreeMap<(String, u32), MapDraft>,
    /// ASA `crypto ipsec … transform-set NAME mode transport` lines.
    pub tset_modes: Vec<(String, bool)>,
    /// NAT statements.
    pub nat: Vec<NatStmt>,
    /// IOS route-maps: name → sequence → entry.
    pub route_maps: BTreeMap<String, BTreeMap<u32, RouteMapEntry>>,
    /// Interface settings by name.
    pub bindings: Vec<(Binding, Origin)>,
    /// Global SA lifetime, seconds.
    pub sa_seconds: Option<u32>,
    /// Global SA lifetime, kilobytes.
    pub sa_kilobytes: Option<u64>,
    /// Interfaces IKE is enabled on (ASA/PIX).
    pub ike_enabled: Vec<String>,
    /// IOS-XE IKEv2 proposals by name (used only when a policy names them).
    pub ikev2_named: BTreeMap<String, Ikev2Proposal>,
    /// IOS-XE: proposals named by `crypto ikev2 policy` blocks; `None` when
    /// no policy is configured.
    pub ikev2_policy_refs: Option<Vec<String>>,
    /// ASA `crypto ikev2 policy N` by priority.
    pub ikev2_numbered: BTreeMap<u32, Ikev2Proposal>,
    /// IOS tunnel protection: IPsec profiles and tunnel interfaces.
    pub vti: crate::vti::Drafts,
    /// ACL entries that may still be added ([`MAX_ACL_ENTRIES`]).
    acl_budget: usize,
}

/// Most ACL entries kept for one configuration (after object-group
/// expansion); lines beyond are counted as skipped.
pub const MAX_ACL_ENTRIES: usize = 1_000_000;

impl Builder {
    /// A builder for `tree`.
    pub fn new(source: &str, platform: Platform, tree: &Tree<'_>) -> Builder {
        let mut marks = Marks::new(tree.lines);
        let objs = Objects::collect(tree, &mut marks);
        let (policy_defaults, pfs_default) = match platform {
            Platform::Ios => (crate::ike::IOS_DEFAULTS, 1),
            Platform::Asa => (crate::ike::ASA_DEFAULTS, 2),
            // `set pfs` without a group on PIX 6: group 1 as on IOS (?):
            // the PIX 6.3 reference gives no default.
            Platform::Pix => (crate::ike::PIX_DEFAULTS, 1),
        };
        Builder {
            cfg: DeviceConfig::new(source, platform),
            objs,
            marks,
            policies: BTreeMap::new(),
            policy_defaults,
            pfs_default,
            maps: BTreeMap::new(),
            dyn_maps: BTreeMap::new(),
            tset_modes: Vec::new(),
            nat: Vec::new(),
            route_maps: BTreeMap::new(),
            bindings: Vec::new(),
            sa_seconds: None,
            sa_kilobytes: None,
            ike_enabled: Vec::new(),
            acl_budget: MAX_ACL_ENTRIES,
            ikev2_named: BTreeMap::new(),
            ikev2_policy_refs: None,
            ikev2_numbered: BTreeMap::new(),
            vti: crate::vti::Drafts::default(),
        }
    }

    /// The ACL called `name`, created empty when new.
    pub fn acl(&mut self, name: &str) -> &mut Acl {
        self.cfg
            .acls
            .entry(name.to_string())
            .or_insert_with(|| Acl {
                name: name.to_string(),
                entries: Vec::new(),
            })
    }

    /// Adds the entry on `line` (words from `permit`/`deny`) to ACL `name`.
    pub fn acl_entry(
        &mut self,
        name: &str,
        w: &[&str],
        syntax: Syntax,
        standard: bool,
        line: &Line<'_>,
    ) -> bool {
        match parse_entry(&self.objs, w, syntax, standard, &origin(line)) {
            Some(entries) if entries.len() <= self.acl_budget => {
                self.acl_budget -= entries.len();
                self.acl(name).entries.extend(entries);
                true
            }
            _ => false,
        }
    }

    /// A pre-shared key for `address`/`mask`.
    pub fn key(
        &mut self,
        address: Ipv4Addr,
        mask: Ipv4Addr,
        key_type: Option<u8>,
        key: &str,
        container: Option<&str>,
        line: &Line<'_>,
    ) {
        let place = format!("{}:{}", self.cfg.source, line.no);
        self.cfg.keys.push(PresharedKey {
            address,
            mask,
            key: key_digest(key_type, key, &place),
            container: container.map(str::to_string),
            origin: origin(line),
        });
    }

    /// A transform set: `NAME t1 [t2 [t3]]` (words after `transform-set`).
    pub fn transform_set(&mut self, w: &[&str], line: &Line<'_>) -> bool {
        let Some((name, ts)) = w.split_first() else {
            return false;
        };
        if ts.is_empty() {
            return false;
        }
        if let [mode, m] = ts {
            if mode.eq_ignore_ascii_case("mode") {
                self.tset_modes
                    .push((name.to_string(), !m.eq_ignore_ascii_case("transport")));
                return true;
            }
        }
        self.cfg.transform_sets.insert(
            name.to_string(),
            TransformSet {
                name: name.to_string(),
                transforms: normalise_transforms(ts),
                tunnel_mode: true,
                origin: origin(line),
            },
        );
        true
    }

    /// `crypto ipsec security-association lifetime …` (words after `lifetime`).
    pub fn sa_lifetime(&mut self, w: &[&str]) -> bool {
        match lifetime_pairs(w) {
            Some((s, k)) => {
                self.sa_seconds = s.or(self.sa_seconds);
                self.sa_kilobytes = k.or(self.sa_kilobytes);
                true
            }
            None => false,
        }
    }

    /// One crypto map attribute (`crypto map NAME SEQ …` after SEQ); the
    /// entry is created at `line` when new, even if the attribute is not
    /// understood.
    pub fn map_attr(
        &mut self,
        dynamic: bool,
        name: &str,
        seq: u32,
        w: &[&str],
        line: &Line<'_>,
    ) -> bool {
        let key = (name.to_string(), seq);
        let maps = if dynamic {
            &mut self.dyn_maps
        } else {
            &mut self.maps
        };
        maps.entry(key.clone())
            .or_insert_with(|| MapDraft::new(origin(line)));
        // `set isakmp-profile P`: the profile the entry initiates under.
        if let [set, kw, p] = w {
            if set.eq_ignore_ascii_case("set") && kw.eq_ignore_ascii_case("isakmp-profile") {
                self.entry_isakmp_profile(name, seq, p, line);
            }
        }
        // IKEv2 lines are kept in the IKEv2 model (dynamic-map entries
        // too, under the dynamic map's name), the entry stays as is.
        if crate::ikev2::map_attr(self, name, seq, w, line) {
            return true;
        }
        let maps = if dynamic {
            &mut self.dyn_maps
        } else {
            &mut self.maps
        };
        maps.get_mut(&key)
            .is_some_and(|d| d.apply(w, &self.objs, self.pfs_default))
    }

    /// Binds crypto map entry (map, seq) to ISAKMP profile `profile`
    /// (the last `set isakmp-profile` wins).
    pub fn entry_isakmp_profile(&mut self, map: &str, seq: u32, profile: &str, line: &Line<'_>) {
        self.cfg
            .entry_isakmp_profiles
            .retain(|b| !(b.map == map && b.seq == seq));
        self.cfg.entry_isakmp_profiles.push(EntryIsakmpProfile {
            map: map.to_string(),
            seq,
            profile: profile.to_string(),
            origin: origin(line),
        });
    }

    /// `ip local pool NAME A B` (IOS) or `NAME A-B [mask M]` (ASA/PIX).
    pub fn pool(&mut self, w: &[&str]) -> bool {
        let [name, spec, rest @ ..] = w else {
            return false;
        };
        let range = match spec.split_once('-') {
            Some((a, b)) => ipv4(a).zip(ipv4(b)),
            None => ipv4(spec).map(|a| (a, rest.first().and_then(|b| ipv4(b)).unwrap_or(a))),
        };
        match range {
            Some(r) => {
                self.cfg.pools.insert(name.to_string(), r);
                true
            }
            None => false,
        }
    }

    /// The interface with this name, created at `line` if new.
    pub fn interface(&mut self, name: &str, line: &Line<'_>) -> &mut Interface {
        let idx = match self.cfg.interfaces.iter().position(|i| i.name == name) {
            Some(i) => i,
            None => {
                self.cfg.interfaces.push(Interface {
                    name: name.to_string(),
                    origin: origin(line),
                    ..Interface::default()
                });
                self.cfg.interfaces.len() - 1
            }
        };
        &mut self.cfg.interfaces[idx]
    }

    /// Assembles the configuration; also returns the skipped lines.
    pub fn finish(mut self, tree: &Tree<'_>) -> (DeviceConfig, Vec<u64>) {
        crate::ikev2::finish(&mut self);
        let mut cfg = std::mem::replace(&mut self.cfg, DeviceConfig::new("", Platform::Ios));
        let d = self.policy_defaults;
        cfg.ike_policies = self
            .policies
            .iter()
            .map(|(p, draft)| draft.finish(*p, &d))
            .collect();

        for (name, tunnel) in &self.tset_modes {
            if let Some(t) = cfg.transform_sets.get_mut(name) {
                t.tunnel_mode = *tunnel;
            }
        }

        let default_seconds = match cfg.platform {
            Platform::Ios => SaLifetime::default().seconds,
            Platform::Asa | Platform::Pix => ASA_SA_SECONDS,
        };
        cfg.sa_lifetime = SaLifetime {
            seconds: self.sa_seconds.unwrap_or(default_seconds),
            kilobytes: self.sa_kilobytes.unwrap_or(SaLifetime::default().kilobytes),
        };
        let global = cfg.sa_lifetime;
        let entries = |maps: &BTreeMap<(String, u32), MapDraft>| {
            maps.iter()
                .filter(|(_, d)| !d.manual)
                .map(|((m, s), d)| d.finish(m, *s, &global))
                .collect::<Vec<_>>()
        };
        cfg.crypto_maps = entries(&self.maps);
        cfg.dynamic_maps = entries(&self.dyn_maps);

        cfg.nat = resolve(&self.nat, &cfg.acls, &self.route_maps);

        for (binding, org) in &self.bindings {
            let iface_name = match binding {
                Binding::CryptoMap(i, _)
                | Binding::Mtu(i, _)
                | Binding::Address(i, _, _)
                | Binding::DynamicAddress(i) => i,
            };
            let idx = cfg.interfaces.iter().position(|i| {
                i.nameif
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(iface_name))
            });
            let idx = idx.or_else(|| {
                cfg.interfaces
                    .iter()
                    .position(|i| i.name.eq_ignore_ascii_case(iface_name))
            });
            let idx = match idx {
                Some(i) => i,
                None => {
                    // Named but never defined (a configuration fragment).
                    cfg.interfaces.push(Interface {
                        name: iface_name.clone(),
                        nameif: Some(iface_name.clone()),
                        origin: org.clone(),
                        ..Interface::default()
                    });
                    cfg.interfaces.len() - 1
                }
            };
            let iface = &mut cfg.interfaces[idx];
            match binding {
                Binding::CryptoMap(_, m) => iface.crypto_map = Some(m.clone()),
                Binding::Mtu(_, n) => iface.mtu = Some(*n),
                Binding::Address(_, a, m) => iface.address = Some((*a, *m)),
                Binding::DynamicAddress(_) => iface.dynamic_address = true,
            }
        }

        crate::vti::finish(&self.vti, &mut cfg);

        match cfg.platform {
            Platform::Ios => {}
            Platform::Asa => cfg.ike_enabled = Some(self.ike_enabled.clone()),
            Platform::Pix => {
                cfg.ike_enabled = Some(self.ike_enabled.clone());
                // PIX 6 does not bypass ACLs for decrypted traffic unless told.
                cfg.sysopt_permit_ipsec = Some(cfg.sysopt_permit_ipsec.unwrap_or(false));
            }
        }
        let skipped = self.marks.unmarked(tree);
        cfg.lines = tree.lines;
        cfg.skipped = skipped.len() as u64;
        (cfg, skipped)
    }
}
