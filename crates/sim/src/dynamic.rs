//! Addresses a configuration does not hold: a crypto map on an interface
//! whose address is assigned at run time (`ip address dhcp`, `ip address
//! negotiated` on a PPPoE dialer, ASA `ip address pppoe`), the usual
//! branch behind a DSL or cable line.
//!
//! The address is read off the peers when they name it: the one address
//! the responder's crypto map entries point at that no configuration owns
//! (of several, the one whose entry's crypto ACL faces the branch's), else
//! the one such host key. When they do not (a hub with a dynamic map and a
//! wildcard key), the branch still negotiates, from an address nobody
//! configured.

use crate::net::{local_address_for, map_interfaces, AddressIndex};
use crate::phase2::acl_accepts;
use ipsec_doctor_model::config::{AclEntry, DeviceConfig};
use std::borrow::Borrow;
use std::collections::{BTreeSet, HashMap};
use std::net::Ipv4Addr;

/// An address inferred for an interface of a device.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Inferred {
    /// Index of the configuration.
    pub device: usize,
    /// Index of the interface in its configuration.
    pub interface: usize,
    /// The address its peers use for it.
    pub address: Ipv4Addr,
}

/// A run-time-addressed crypto map interface: (device, interface, the
/// peers its static entries name).
type End = (usize, usize, BTreeSet<Ipv4Addr>);

/// The crypto map interfaces with a run-time address.
fn dynamic_ends<C: Borrow<DeviceConfig>>(configs: &[C]) -> Vec<End> {
    let mut out = Vec::new();
    for (d, c) in configs.iter().map(Borrow::borrow).enumerate() {
        for (i, ifc) in c.interfaces.iter().enumerate() {
            let Some(map) = ifc.crypto_map.as_deref() else {
                continue;
            };
            if !ifc.dynamic_address || ifc.address.is_some() || ifc.shutdown {
                continue;
            }
            let peers: BTreeSet<Ipv4Addr> = c
                .crypto_maps
                .iter()
                .filter(|e| e.map == map && e.dynamic_ref.is_none())
                .flat_map(|e| e.peers.iter().copied())
                .collect();
            out.push((d, i, peers));
        }
    }
    out
}

/// The addresses that configuration `b`'s static crypto map entries point
/// at and that no configuration owns; when there are none (a hub with a
/// dynamic map), the host addresses of its pre-shared keys that no
/// configuration owns.
///
/// A hub with several such entries (branches on DHCP that it still names
/// by their last address) gives the one whose crypto ACL faces the
/// branch's: it accepts, read mirrored, what the branch's entry proposes.
fn unowned_peers(
    b: &DeviceConfig,
    index: &AddressIndex,
    proposals: &[AclEntry],
) -> BTreeSet<Ipv4Addr> {
    let unowned = |p: &Ipv4Addr| index.owner(*p).is_none() && !p.is_unspecified();
    let entries: Vec<_> = b
        .crypto_maps
        .iter()
        .filter(|e| e.dynamic_ref.is_none() && e.peers.iter().any(unowned))
        .collect();
    let facing: BTreeSet<Ipv4Addr> = entries
        .iter()
        .filter(|e| {
            let acl = e.acl.as_ref().and_then(|a| b.acls.get(a));
            acl.is_some_and(|acl| proposals.iter().any(|p| acl_accepts(&acl.entries, p)))
        })
        .flat_map(|e| e.peers.iter().copied())
        .filter(unowned)
        .collect();
    if !facing.is_empty() {
        return facing;
    }
    let peers: BTreeSet<Ipv4Addr> = entries
        .iter()
        .flat_map(|e| e.peers.iter().copied())
        .filter(unowned)
        .collect();
    if !peers.is_empty() {
        return peers;
    }
    b.keys
        .iter()
        .filter(|k| k.mask == Ipv4Addr::BROADCAST)
        .map(|k| k.address)
        .filter(unowned)
        .collect()
}

/// The address of each run-time-addressed crypto map interface that the
/// other configurations name unambiguously.
///
/// * A device whose peers are configured here: the one address those
///   peers' entries (those facing its crypto ACL, when any do) or host keys
///   point at that no configuration owns (none or several: not known).
/// * Two devices that both have run-time addresses and point at each
///   other (each names one address no configuration owns): each has the
///   address the other names.
pub fn infer<C: Borrow<DeviceConfig>>(configs: &[C]) -> Vec<Inferred> {
    let ends = dynamic_ends(configs);
    if ends.is_empty() {
        return Vec::new();
    }
    let index = AddressIndex::build(configs);
    let mut found: Vec<Inferred> = Vec::new();
    let mut unresolved: Vec<(usize, usize, Ipv4Addr)> = Vec::new();
    for (d, i, peers) in &ends {
        let proposals = proposals(configs[*d].borrow(), *i);
        let mut candidates = BTreeSet::new();
        let mut owned = false;
        for p in peers {
            match index.owner(*p) {
                Some(b) if b != *d => {
                    owned = true;
                    candidates.extend(unowned_peers(configs[b].borrow(), &index, &proposals));
                }
                Some(_) => {}
                None => {
                    if peers.len() == 1 {
                        unresolved.push((*d, *i, *p));
                    }
                }
            }
        }
        if owned && candidates.len() == 1 {
            if let Some(&address) = candidates.iter().next() {
                found.push(Inferred {
                    device: *d,
                    interface: *i,
                    address,
                });
            }
        }
    }
    // Two ends with run-time addresses facing each other.
    if let [(d1, i1, t1), (d2, i2, t2)] = unresolved.as_slice() {
        if d1 != d2 && t1 != t2 {
            found.push(Inferred {
                device: *d1,
                interface: *i1,
                address: *t2,
            });
            found.push(Inferred {
                device: *d2,
                interface: *i2,
                address: *t1,
            });
        }
    }
    // An address claimed for two interfaces is known for neither.
    let mut claims: HashMap<Ipv4Addr, usize> = HashMap::new();
    for f in &found {
        *claims.entry(f.address).or_default() += 1;
    }
    found.retain(|f| claims.get(&f.address) == Some(&1));
    found
}

/// What the static entries of the map on interface `i` of `c` propose:
/// the first permit line of each entry's crypto ACL.
fn proposals(c: &DeviceConfig, i: usize) -> Vec<AclEntry> {
    let Some(map) = c
        .interfaces
        .get(i)
        .and_then(|ifc| ifc.crypto_map.as_deref())
    else {
        return Vec::new();
    };
    c.crypto_maps
        .iter()
        .filter(|e| e.map == map && e.dynamic_ref.is_none())
        .filter_map(|e| c.acls.get(e.acl.as_deref()?))
        .filter_map(|acl| acl.entries.iter().find(|l| l.permit).cloned())
        .collect()
}

/// Whether configuration `c` negotiates `map` from an interface whose
/// address is assigned at run time and not known here.
pub fn unknown_local(c: &DeviceConfig, map: &str) -> bool {
    local_address_for(c, map).is_none()
        && map_interfaces(c, map).any(|i| i.dynamic_address && i.address.is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use ipsec_doctor_model::config::{CryptoMapEntry, Interface, Platform};

    fn device(name: &str, addr: Option<&str>, peer: Option<&str>) -> DeviceConfig {
        let mut c = DeviceConfig::new(&format!("{name}.cfg"), Platform::Ios);
        c.hostname = Some(name.into());
        c.interfaces.push(Interface {
            name: "Dialer1".into(),
            address: addr.map(|a| {
                (
                    a.parse().unwrap_or(Ipv4Addr::UNSPECIFIED),
                    Ipv4Addr::BROADCAST,
                )
            }),
            dynamic_address: addr.is_none(),
            crypto_map: Some("CMAP".into()),
            ..Interface::default()
        });
        c.crypto_maps.push(CryptoMapEntry {
            map: "CMAP".into(),
            seq: 10,
            dynamic_ref: None,
            peers: peer.iter().filter_map(|p| p.parse().ok()).collect(),
            acl: None,
            transform_sets: Vec::new(),
            pfs: None,
            lifetime: None,
            origin: Default::default(),
        });
        c
    }

    #[test]
    fn a_branch_on_pppoe_takes_the_address_the_hub_names() {
        let hub = device("hub", Some("198.51.100.1"), Some("203.0.113.9"));
        let branch = device("br", None, Some("198.51.100.1"));
        let got = infer(&[hub, branch]);
        assert_eq!(
            got,
            vec![Inferred {
                device: 1,
                interface: 0,
                address: "203.0.113.9".parse().unwrap_or(Ipv4Addr::UNSPECIFIED),
            }]
        );
    }

    #[test]
    fn two_dynamic_ends_facing_each_other_take_each_others_target() {
        let a = device("ce1", None, Some("203.0.113.200"));
        let b = device("ce2", None, Some("203.0.113.100"));
        let got: Vec<(usize, String)> = infer(&[a, b])
            .into_iter()
            .map(|f| (f.device, f.address.to_string()))
            .collect();
        assert_eq!(
            got,
            vec![(0, "203.0.113.100".into()), (1, "203.0.113.200".into())]
        );
    }

    #[test]
    fn a_hub_with_a_dynamic_map_names_nothing() {
        let mut hub = device("hub", Some("198.51.100.1"), None);
        hub.crypto_maps[0].dynamic_ref = Some("DYN".into());
        let branch = device("br", None, Some("198.51.100.1"));
        assert!(infer(&[hub.clone(), branch.clone()]).is_empty());
        assert!(unknown_local(&branch, "CMAP"));
        assert!(!unknown_local(&hub, "CMAP"));
    }

    #[test]
    fn two_unknown_addresses_on_the_hub_leave_the_branch_unknown() {
        let mut hub = device("hub", Some("198.51.100.1"), Some("203.0.113.9"));
        let mut second = hub.crypto_maps[0].clone();
        second.seq = 20;
        second.peers = vec!["203.0.113.10".parse().unwrap_or(Ipv4Addr::UNSPECIFIED)];
        hub.crypto_maps.push(second);
        let branch = device("br", None, Some("198.51.100.1"));
        assert!(infer(&[hub, branch]).is_empty());
    }
}
