//! Changes that repair a failed negotiation: applied to the configurations
//! for re-simulation, and rendered as commands for the device's platform.

use ipsec_doctor_model::config::{
    AclEntry, AddrMatch, CryptoMapEntry, DeviceConfig, IkeAuth, IkeEncryption, IkeHash, IkePolicy,
    Ikev2IpsecProposal, Ikev2Key, Ikev2MapEntry, Ikev2Proposal, Origin, Platform, PortMatch,
    PresharedKey, SecretDigest, TransformSet,
};
use std::net::Ipv4Addr;

/// One repair, on one device (an index into the configurations).
#[derive(Debug, Clone, PartialEq)]
pub enum ConfigFix {
    /// Apply a crypto map to an interface.
    ApplyMap {
        /// Device.
        device: usize,
        /// Map.
        map: String,
        /// Interface (IOS name or ASA nameif); `None` = the outside interface, unknown.
        interface: Option<String>,
    },
    /// Enable IKE on an interface (ASA/PIX).
    EnableIke {
        /// Device.
        device: usize,
        /// Interface nameif.
        interface: String,
    },
    /// Add an ISAKMP policy.
    AddPolicy {
        /// Device.
        device: usize,
        /// Policy.
        policy: IkePolicy,
        /// The device configures no policy and its built-in suites match
        /// none of the peer's, so it is given the peer's policy (on IOS a
        /// configured policy replaces the built-in suites).
        instead_of_built_in: bool,
    },
    /// Add (or replace) the pre-shared key for an address.
    AddKey {
        /// Device.
        device: usize,
        /// Peer address the key is for.
        address: Ipv4Addr,
        /// The other side's key (digest), to make them equal.
        like: Option<SecretDigest>,
        /// The device's own address the key must serve (IKE terminated
        /// there): an IOS keyring bound to another `local-address` is not
        /// the place for it.
        own: Option<Ipv4Addr>,
        /// The IOS keyring the key must go in (the keyring of the ISAKMP
        /// profile the initiating entry uses), when it is dictated.
        ring: Option<String>,
    },
    /// Add a line to a crypto ACL.
    AddAclLine {
        /// Device.
        device: usize,
        /// ACL name.
        acl: String,
        /// The line.
        line: AclEntry,
    },
    /// Add a crypto map entry for a peer.
    AddEntry {
        /// Device.
        device: usize,
        /// Map.
        map: String,
        /// Sequence.
        seq: u32,
        /// Peer.
        peer: Ipv4Addr,
        /// New ACL name.
        acl: String,
        /// ACL line.
        line: AclEntry,
        /// Transform set to create and use.
        transform: Option<TransformSet>,
        /// PFS group.
        pfs: Option<u8>,
        /// For an IKEv2 tunnel: what makes the new entry IKEv2 (a
        /// [`Ikev2Fix::SetIkev2`] with the device's own profile or IPsec
        /// proposals).
        ikev2: Option<Box<Ikev2Fix>>,
    },
    /// Add a transform set and reference it from an entry.
    AddTransformSet {
        /// Device.
        device: usize,
        /// Map of the entry.
        map: String,
        /// Sequence of the entry.
        seq: u32,
        /// The transform set.
        ts: TransformSet,
    },
    /// Set (or remove) PFS on an entry.
    SetPfs {
        /// Device.
        device: usize,
        /// Map.
        map: String,
        /// Sequence.
        seq: u32,
        /// Group, or `None` to remove PFS.
        group: Option<u8>,
    },
    /// Point an entry at the peer's real address.
    SetPeer {
        /// Device.
        device: usize,
        /// Map.
        map: String,
        /// Sequence.
        seq: u32,
        /// The address the peer negotiates from.
        peer: Ipv4Addr,
    },
    /// Re-create an entry with a sequence number below another one.
    MoveEntry {
        /// Device.
        device: usize,
        /// Map.
        map: String,
        /// The entry to move.
        seq: u32,
        /// It must come before this one.
        before: u32,
    },
    /// An IKEv2 repair.
    Ikev2 {
        /// Device.
        device: usize,
        /// What changes.
        change: Ikev2Fix,
    },
}

/// IKEv2 repairs (kept apart so that the IKEv1 ones read as before).
#[derive(Debug, Clone, PartialEq)]
pub enum Ikev2Fix {
    /// Make an entry IKEv2 with an existing profile (IOS-XE) or IPsec
    /// proposals (ASA).
    SetIkev2 {
        /// Map.
        map: String,
        /// Sequence.
        seq: u32,
        /// IOS-XE profile.
        profile: Option<String>,
        /// ASA IPsec proposals.
        ipsec_proposals: Vec<String>,
    },
    /// Make an entry IKEv1 again.
    UnsetIkev2 {
        /// Map.
        map: String,
        /// Sequence.
        seq: u32,
    },
    /// Add an IKE_SA_INIT proposal (IOS-XE: with a policy naming it).
    AddProposal {
        /// The proposal.
        proposal: Ikev2Proposal,
    },
    /// Add `match identity remote address` to a profile.
    MatchIdentity {
        /// Profile.
        profile: String,
        /// The peer's identity.
        address: Ipv4Addr,
    },
    /// Set the IKEv2 keys for a peer address (only the given directions).
    SetKey {
        /// IOS-XE keyring.
        keyring: Option<String>,
        /// Peer address.
        address: Ipv4Addr,
        /// The key to authenticate with.
        local: Option<SecretDigest>,
        /// The key the peer authenticates with.
        remote: Option<SecretDigest>,
    },
    /// Add an ASA IPsec proposal to an entry.
    AddIpsecProposal {
        /// Map.
        map: String,
        /// Sequence.
        seq: u32,
        /// The proposal.
        proposal: Ikev2IpsecProposal,
    },
}

/// The `device` field of any variant (by reference or mutably).
macro_rules! device_field {
    ($fix:expr) => {
        match $fix {
            ConfigFix::ApplyMap { device, .. }
            | ConfigFix::EnableIke { device, .. }
            | ConfigFix::AddPolicy { device, .. }
            | ConfigFix::AddKey { device, .. }
            | ConfigFix::AddAclLine { device, .. }
            | ConfigFix::AddEntry { device, .. }
            | ConfigFix::AddTransformSet { device, .. }
            | ConfigFix::SetPfs { device, .. }
            | ConfigFix::SetPeer { device, .. }
            | ConfigFix::MoveEntry { device, .. }
            | ConfigFix::Ikev2 { device, .. } => device,
        }
    };
}

fn entry_mut<'c>(c: &'c mut DeviceConfig, map: &str, seq: u32) -> Option<&'c mut CryptoMapEntry> {
    c.crypto_maps
        .iter_mut()
        .chain(c.dynamic_maps.iter_mut())
        .find(|e| e.map == map && e.seq == seq)
}

impl ConfigFix {
    /// The device the fix changes.
    pub fn device(&self) -> usize {
        *device_field!(self)
    }

    /// The same fix aimed at device `d` (when configurations are re-indexed).
    pub fn on_device(&self, d: usize) -> ConfigFix {
        let mut f = self.clone();
        *device_field!(&mut f) = d;
        f
    }

    /// Applies the fix; false when it cannot be applied.
    pub fn apply(&self, configs: &mut [DeviceConfig]) -> bool {
        let Some(c) = configs.get_mut(self.device()) else {
            return false;
        };
        match self {
            ConfigFix::ApplyMap { map, interface, .. } => {
                let Some(name) = interface else { return false };
                let Some(i) = c.interfaces.iter_mut().find(|i| {
                    i.name.eq_ignore_ascii_case(name)
                        || i.nameif
                            .as_deref()
                            .is_some_and(|n| n.eq_ignore_ascii_case(name))
                }) else {
                    return false;
                };
                i.crypto_map = Some(map.clone());
                true
            }
            ConfigFix::EnableIke { interface, .. } => {
                c.ike_enabled
                    .get_or_insert_with(Vec::new)
                    .push(interface.clone());
                true
            }
            ConfigFix::AddPolicy { policy, .. } => {
                c.ike_policies.push(policy.clone());
                c.ike_policies.sort_by_key(|p| p.priority);
                true
            }
            ConfigFix::AddKey {
                address,
                like,
                ring,
                own,
                ..
            } => {
                let ring = match ring {
                    Some(r) => Some(r.clone()),
                    // In a front-door VRF only a keyring of that VRF serves:
                    // the one already holding the peer's key, else the
                    // VRF's (first) keyring, else a new one.
                    None => vrf_ring(c, *own).map(|(r, v)| match key_ring_for(c, address, *own) {
                        Some(existing) => existing.to_string(),
                        None => {
                            c.keyring_vrf.insert(r.clone(), v);
                            r
                        }
                    }),
                };
                let ring = &ring;
                // No address (a peer on DHCP / PPPoE): a wildcard key.
                let mask = key_mask(*address);
                c.keys.retain(|k| {
                    !(k.address == *address
                        && k.mask == mask
                        && (ring.is_none() || k.container == *ring))
                });
                c.keys.push(PresharedKey {
                    address: *address,
                    mask,
                    key: like
                        .clone()
                        .unwrap_or_else(|| SecretDigest::of("<new key>")),
                    container: ring.clone(),
                    origin: Origin::default(),
                });
                true
            }
            ConfigFix::AddAclLine { acl, line, .. } => {
                let a = c.acls.entry(acl.clone()).or_default();
                a.name = acl.clone();
                a.entries.insert(0, line.clone());
                true
            }
            ConfigFix::AddEntry {
                map,
                seq,
                peer,
                acl,
                line,
                transform,
                pfs,
                ikev2,
                ..
            } => {
                let a = c.acls.entry(acl.clone()).or_default();
                a.name = acl.clone();
                a.entries.push(line.clone());
                let mut sets = Vec::new();
                if let Some(t) = transform {
                    c.transform_sets.insert(t.name.clone(), t.clone());
                    sets.push(t.name.clone());
                }
                c.crypto_maps.push(CryptoMapEntry {
                    map: map.clone(),
                    seq: *seq,
                    dynamic_ref: None,
                    peers: vec![*peer],
                    acl: Some(acl.clone()),
                    transform_sets: sets,
                    pfs: *pfs,
                    lifetime: None,
                    origin: Origin::default(),
                });
                c.crypto_maps
                    .sort_by(|a, b| (&a.map, a.seq).cmp(&(&b.map, b.seq)));
                match ikev2 {
                    Some(x) => apply_ikev2(c, x),
                    None => true,
                }
            }
            ConfigFix::AddTransformSet { map, seq, ts, .. } => {
                c.transform_sets.insert(ts.name.clone(), ts.clone());
                let Some(e) = entry_mut(c, map, *seq) else {
                    return false;
                };
                e.transform_sets.push(ts.name.clone());
                true
            }
            ConfigFix::SetPfs {
                map, seq, group, ..
            } => {
                let Some(e) = entry_mut(c, map, *seq) else {
                    return false;
                };
                e.pfs = *group;
                true
            }
            ConfigFix::SetPeer { map, seq, peer, .. } => {
                let Some(e) = entry_mut(c, map, *seq) else {
                    return false;
                };
                e.peers = vec![*peer];
                true
            }
            ConfigFix::MoveEntry {
                map, seq, before, ..
            } => {
                let target = before.saturating_sub(1);
                if c.crypto_maps
                    .iter()
                    .any(|e| e.map == *map && e.seq == target)
                {
                    return false;
                }
                let Some(e) = entry_mut(c, map, *seq) else {
                    return false;
                };
                e.seq = target;
                c.crypto_maps
                    .sort_by(|a, b| (&a.map, a.seq).cmp(&(&b.map, b.seq)));
                true
            }
            ConfigFix::Ikev2 { change, .. } => apply_ikev2(c, change),
        }
    }

    /// Why this device is the one to change.
    pub fn why(&self) -> &'static str {
        match self {
            ConfigFix::ApplyMap { .. } => "the crypto map must be on the interface the peer talks to",
            ConfigFix::EnableIke { .. } => "ASA/PIX answer IKE only on interfaces where it is enabled",
            ConfigFix::AddPolicy {
                instead_of_built_in: true,
                ..
            } => "this device configures no ISAKMP policy and none of its built-in suites matches the peer's policies; give it the peer's (on IOS a configured policy replaces the built-in suites, for every peer)",
            ConfigFix::AddPolicy { .. } => "the responder must hold a policy matching one of the initiator's offers; adding it there leaves the initiator's other tunnels untouched",
            ConfigFix::AddKey { .. } => "keys are looked up by the peer's address on the device that answers; both ends must hold the same key",
            ConfigFix::AddAclLine { .. } => "the responder's crypto ACL must be the mirror image of the initiator's",
            ConfigFix::AddEntry { .. } => "the responder needs a crypto map entry for this peer",
            ConfigFix::AddTransformSet { .. } => "the responder must accept one of the initiator's transform sets",
            ConfigFix::SetPfs { .. } => "PFS must be the same on both ends (the responder's setting is the one enforced)",
            ConfigFix::SetPeer { .. } => "the entry must name the address the peer really negotiates from",
            ConfigFix::MoveEntry { .. } => "IOS matches crypto map entries by ACL in sequence order; the specific entry must come first",
            ConfigFix::Ikev2 { change, .. } => match change {
                Ikev2Fix::SetIkev2 { .. } => "both ends must speak the same IKE version; this end already holds the IKEv2 configuration the entry needs",
                Ikev2Fix::UnsetIkev2 { .. } => "both ends must speak the same IKE version; the other end has no IKEv2 configuration to use",
                Ikev2Fix::AddProposal { .. } => "the responder must accept one of the initiator's IKEv2 proposals; adding it there leaves the initiator's other tunnels untouched",
                Ikev2Fix::MatchIdentity { .. } => "the responder picks its IKEv2 profile by the initiator's identity",
                Ikev2Fix::SetKey { .. } => "the responder's keys for this peer must be the initiator's keys, direction for direction",
                Ikev2Fix::AddIpsecProposal { .. } => "the responder must accept one of the initiator's child SA transforms",
            },
        }
    }

    /// The commands, in the device's syntax.
    pub fn commands(&self, configs: &[DeviceConfig]) -> Vec<String> {
        let Some(c) = configs.get(self.device()) else {
            return Vec::new();
        };
        if let Some(v) = self.vti_commands(c) {
            return v;
        }
        let v = self.map_commands(c);
        match self.entry() {
            Some((map, seq)) if is_dynamic(c, map, seq) => dynamic_form(v, map, seq),
            Some((map, seq)) => match c.vti(map, seq) {
                Some(vti) => profile_form(v, map, seq, &vti.profile),
                None => v,
            },
            None => v,
        }
    }

    /// Fixes that a tunnel interface takes in its own terms: its peer is
    /// the tunnel destination, and its traffic selectors are not an ACL.
    fn vti_commands(&self, c: &DeviceConfig) -> Option<Vec<String>> {
        match self {
            // A device that protects its peers with tunnel interfaces only
            // gets one more tunnel, not a crypto map entry.
            ConfigFix::AddEntry { map, peer, .. } => {
                let mut entries = c.crypto_maps.iter().filter(|e| &e.map == map).peekable();
                entries.peek()?;
                if !entries.all(|e| c.vti(&e.map, e.seq).is_some()) {
                    return None;
                }
                let like = c.vtis.iter().find(|v| &v.map == map)?;
                let source = c
                    .interfaces
                    .iter()
                    .find(|i| i.crypto_map.as_deref() == Some(map.as_str()))
                    .map_or("<outside-interface>".to_string(), |i| {
                        i.nameif.clone().unwrap_or_else(|| i.name.clone())
                    });
                let mode = if like.ipsec_mode {
                    " tunnel mode ipsec ipv4"
                } else {
                    " tunnel mode gre ip"
                };
                let source_line = match c.platform {
                    Platform::Ios => format!(" tunnel source {source}"),
                    _ => format!(" tunnel source interface {source}"),
                };
                Some(vec![
                    "interface Tunnel<n>".to_string(),
                    " ip address <tunnel-address> <mask>".to_string(),
                    source_line,
                    mode.to_string(),
                    format!(" tunnel destination {peer}"),
                    format!(" tunnel protection ipsec profile {}", like.profile),
                ])
            }
            ConfigFix::SetPeer { map, seq, peer, .. } => {
                let vti = c.vti(map, *seq)?;
                Some(vec![
                    format!("interface {}", vti.tunnel),
                    format!(" tunnel destination {peer}"),
                ])
            }
            ConfigFix::AddAclLine { line, .. }
                if line.protocol.is_none()
                    && line.src == AddrMatch::ANY
                    && line.dst == AddrMatch::ANY =>
            {
                // The peer proposes any ↔ any: it is a VTI. `permit ip any
                // any` in this crypto ACL would encrypt all of this
                // device's traffic to that peer.
                Some(vec![
                    "! the peer is a VTI (any <-> any): protect this end with a tunnel interface too".to_string(),
                    "interface Tunnel<n>".to_string(),
                    " ip unnumbered <inside-interface>".to_string(),
                    " tunnel source <outside-interface>".to_string(),
                    " tunnel mode ipsec ipv4".to_string(),
                    " tunnel destination <peer-address>".to_string(),
                    " tunnel protection ipsec profile <ipsec-profile>".to_string(),
                ])
            }
            ConfigFix::AddAclLine { acl, .. } => {
                let vti = c.vtis.iter().find(|v| {
                    c.crypto_maps
                        .iter()
                        .any(|e| e.map == v.map && e.seq == v.seq && e.acl.as_deref() == Some(acl))
                })?;
                let what = if vti.ipsec_mode {
                    "any to any (a VTI)"
                } else {
                    "GRE between the tunnel endpoints"
                };
                Some(vec![format!(
                    "! {} protects {what}: give the peer the same selectors (a tunnel interface of the same mode, or a crypto ACL that matches exactly that)",
                    vti.tunnel
                )])
            }
            _ => None,
        }
    }

    /// The crypto map entry the fix edits, when it edits one.
    fn entry(&self) -> Option<(&str, u32)> {
        match self {
            ConfigFix::AddTransformSet { map, seq, .. }
            | ConfigFix::SetPfs { map, seq, .. }
            | ConfigFix::SetPeer { map, seq, .. } => Some((map, *seq)),
            ConfigFix::Ikev2 { change, .. } => match change {
                Ikev2Fix::SetIkev2 { map, seq, .. } | Ikev2Fix::UnsetIkev2 { map, seq } => {
                    Some((map, *seq))
                }
                Ikev2Fix::AddIpsecProposal { map, seq, .. } => Some((map, *seq)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The commands as written for a crypto map entry.
    fn map_commands(&self, c: &DeviceConfig) -> Vec<String> {
        let p = c.platform;
        match self {
            ConfigFix::ApplyMap { map, interface, .. } => {
                let ifn = interface
                    .clone()
                    .unwrap_or_else(|| "<outside-interface>".to_string());
                match p {
                    Platform::Ios => vec![format!("interface {ifn}"), format!(" crypto map {map}")],
                    _ => vec![format!("crypto map {map} interface {ifn}")],
                }
            }
            ConfigFix::EnableIke { interface, .. } => match p {
                Platform::Pix => vec![format!("isakmp enable {interface}")],
                _ => vec![format!("crypto ikev1 enable {interface}")],
            },
            ConfigFix::AddPolicy { policy, .. } => ike_policy_commands(p, policy),
            ConfigFix::AddKey {
                address, own, ring, ..
            } => {
                let target = key_target(*address);
                match p {
                    Platform::Ios
                        if ring.is_none()
                            && key_ring_for(c, address, *own).is_none()
                            && vrf_ring(c, *own).is_some() =>
                    {
                        // IKE arrives in a front-door VRF: only a keyring of
                        // that VRF serves it.
                        let (r, v) = vrf_ring(c, *own).unwrap_or_default();
                        vec![
                            format!("crypto keyring {r} vrf {v}"),
                            format!(" pre-shared-key address {target} key <pre-shared-key>"),
                        ]
                    }
                    Platform::Ios => {
                        match ring.as_deref().or_else(|| key_ring_for(c, address, *own)) {
                            // A keyring of a VRF is entered with its VRF.
                            Some(ring) if c.keyring_vrf.contains_key(ring) => vec![
                                format!(
                                    "crypto keyring {ring} vrf {}",
                                    c.keyring_vrf.get(ring).cloned().unwrap_or_default()
                                ),
                                format!(" pre-shared-key address {target} key <pre-shared-key>"),
                            ],
                            // Where the device keeps its keys: a key for this peer
                            // already in a keyring is changed there; a device that
                            // keeps all its keys in one keyring gets the new one
                            // there too (a global key would not be used by the
                            // ISAKMP profile that names the keyring).
                            Some(ring) => vec![
                                format!("crypto keyring {ring}"),
                                format!(" pre-shared-key address {target} key <pre-shared-key>"),
                            ],
                            None => vec![format!(
                                "crypto isakmp key <pre-shared-key> address {target}"
                            )],
                        }
                    }
                    // A peer whose address is assigned at run time: the
                    // default L2L group's key serves every such peer.
                    Platform::Asa if address.is_unspecified() => vec![
                        "tunnel-group DefaultL2LGroup ipsec-attributes".to_string(),
                        " ikev1 pre-shared-key <pre-shared-key>".to_string(),
                    ],
                    Platform::Asa => vec![
                        format!("tunnel-group {address} type ipsec-l2l"),
                        format!("tunnel-group {address} ipsec-attributes"),
                        " ikev1 pre-shared-key <pre-shared-key>".to_string(),
                    ],
                    Platform::Pix => {
                        let mask = key_mask(*address);
                        vec![format!(
                            "isakmp key <pre-shared-key> address {address} netmask {mask}"
                        )]
                    }
                }
            }
            ConfigFix::AddAclLine { acl, line, .. } => match p {
                Platform::Ios => vec![
                    format!("ip access-list extended {acl}"),
                    format!(" {}", acl_line(p, line)),
                ],
                _ => vec![format!(
                    "access-list {acl} {}{}",
                    if p == Platform::Asa { "extended " } else { "" },
                    acl_line(p, line)
                )],
            },
            ConfigFix::AddEntry {
                map,
                seq,
                peer,
                acl,
                line,
                transform,
                pfs,
                ikev2,
                ..
            } => {
                let mut v = match p {
                    Platform::Ios => vec![
                        format!("ip access-list extended {acl}"),
                        format!(" {}", acl_line(p, line)),
                    ],
                    _ => vec![format!(
                        "access-list {acl} {}{}",
                        if p == Platform::Asa { "extended " } else { "" },
                        acl_line(p, line)
                    )],
                };
                if let Some(t) = transform {
                    v.extend(transform_commands(p, t));
                }
                match p {
                    Platform::Ios => {
                        v.push(format!("crypto map {map} {seq} ipsec-isakmp"));
                        v.push(format!(" set peer {peer}"));
                        if let Some(t) = transform {
                            v.push(format!(" set transform-set {}", t.name));
                        }
                        if let Some(g) = pfs {
                            v.push(format!(" set pfs group{g}"));
                        }
                        if let Some(Ikev2Fix::SetIkev2 { profile, .. }) = ikev2.as_deref() {
                            v.push(format!(
                                " set ikev2-profile {}",
                                profile.as_deref().unwrap_or("<ikev2-profile>")
                            ));
                        }
                        v.push(format!(" match address {acl}"));
                    }
                    _ => {
                        v.push(format!("crypto map {map} {seq} match address {acl}"));
                        v.push(format!("crypto map {map} {seq} set peer {peer}"));
                        if let Some(t) = transform {
                            v.push(format!(
                                "crypto map {map} {seq} set {}transform-set {}",
                                if p == Platform::Asa { "ikev1 " } else { "" },
                                t.name
                            ));
                        }
                        if let Some(g) = pfs {
                            v.push(format!("crypto map {map} {seq} set pfs group{g}"));
                        }
                        if let Some(x) = ikev2 {
                            v.extend(ikev2_commands(c, x));
                        }
                    }
                }
                v
            }
            ConfigFix::AddTransformSet { map, seq, ts, .. } => {
                let mut v = transform_commands(p, ts);
                let existing: Vec<String> = c
                    .crypto_maps
                    .iter()
                    .chain(c.dynamic_maps.iter())
                    .find(|e| e.map == *map && e.seq == *seq)
                    .map(|e| e.transform_sets.clone())
                    .unwrap_or_default();
                let all = existing
                    .iter()
                    .chain(std::iter::once(&ts.name))
                    .cloned()
                    .collect::<Vec<_>>()
                    .join(" ");
                match p {
                    Platform::Ios => {
                        v.push(format!("crypto map {map} {seq} ipsec-isakmp"));
                        v.push(format!(" set transform-set {all}"));
                    }
                    Platform::Asa => v.push(format!(
                        "crypto map {map} {seq} set ikev1 transform-set {all}"
                    )),
                    Platform::Pix => {
                        v.push(format!("crypto map {map} {seq} set transform-set {all}"))
                    }
                }
                v
            }
            ConfigFix::SetPfs {
                map, seq, group, ..
            } => match (p, group) {
                (Platform::Ios, Some(g)) => vec![
                    format!("crypto map {map} {seq} ipsec-isakmp"),
                    format!(" set pfs group{g}"),
                ],
                (Platform::Ios, None) => vec![
                    format!("crypto map {map} {seq} ipsec-isakmp"),
                    " no set pfs".to_string(),
                ],
                (_, Some(g)) => vec![format!("crypto map {map} {seq} set pfs group{g}")],
                (_, None) => vec![format!("no crypto map {map} {seq} set pfs")],
            },
            ConfigFix::SetPeer { map, seq, peer, .. } => {
                let old: Vec<String> = c
                    .crypto_maps
                    .iter()
                    .find(|e| e.map == *map && e.seq == *seq)
                    .map(|e| e.peers.iter().map(|p| p.to_string()).collect())
                    .unwrap_or_default();
                match p {
                    Platform::Ios => {
                        let mut v = vec![format!("crypto map {map} {seq} ipsec-isakmp")];
                        v.extend(old.iter().map(|o| format!(" no set peer {o}")));
                        v.push(format!(" set peer {peer}"));
                        v
                    }
                    _ => vec![format!("crypto map {map} {seq} set peer {peer}")],
                }
            }
            ConfigFix::MoveEntry {
                map, seq, before, ..
            } => {
                let target = before.saturating_sub(1);
                let mut v = vec![format!("! re-create entry {seq} as {target}, ahead of entry {before}, then remove the old one")];
                if let Some(e) = c
                    .crypto_maps
                    .iter()
                    .find(|e| e.map == *map && e.seq == *seq)
                {
                    match p {
                        Platform::Ios => {
                            v.push(format!("crypto map {map} {target} ipsec-isakmp"));
                            for peer in &e.peers {
                                v.push(format!(" set peer {peer}"));
                            }
                            if !e.transform_sets.is_empty() {
                                v.push(format!(
                                    " set transform-set {}",
                                    e.transform_sets.join(" ")
                                ));
                            }
                            if let Some(a) = &e.acl {
                                v.push(format!(" match address {a}"));
                            }
                        }
                        _ => {
                            if let Some(a) = &e.acl {
                                v.push(format!("crypto map {map} {target} match address {a}"));
                            }
                            for peer in &e.peers {
                                v.push(format!("crypto map {map} {target} set peer {peer}"));
                            }
                            if !e.transform_sets.is_empty() {
                                v.push(format!(
                                    "crypto map {map} {target} set {}transform-set {}",
                                    if p == Platform::Asa { "ikev1 " } else { "" },
                                    e.transform_sets.join(" ")
                                ));
                            }
                        }
                    }
                }
                v.push(format!("no crypto map {map} {seq}"));
                v
            }
            ConfigFix::Ikev2 { change, .. } => ikev2_commands(c, change),
        }
    }
}

fn apply_ikev2(c: &mut DeviceConfig, change: &Ikev2Fix) -> bool {
    let v2 = &mut c.ikev2;
    match change {
        Ikev2Fix::SetIkev2 {
            map,
            seq,
            profile,
            ipsec_proposals,
        } => {
            v2.entries.retain(|e| !(e.map == *map && e.seq == *seq));
            v2.entries.push(Ikev2MapEntry {
                map: map.clone(),
                seq: *seq,
                profile: profile.clone(),
                ipsec_proposals: ipsec_proposals.clone(),
                origin: Origin::default(),
            });
            true
        }
        Ikev2Fix::UnsetIkev2 { map, seq } => {
            v2.entries.retain(|e| !(e.map == *map && e.seq == *seq));
            true
        }
        Ikev2Fix::AddProposal { proposal } => {
            v2.proposals.push(proposal.clone());
            // A configured policy replaces the IOS-XE default one.
            v2.default_proposal = false;
            true
        }
        Ikev2Fix::MatchIdentity { profile, address } => {
            match v2.profiles.iter_mut().find(|p| p.name == *profile) {
                Some(p) => {
                    p.match_remote.push((*address, Ipv4Addr::BROADCAST));
                    true
                }
                None => false,
            }
        }
        Ikev2Fix::SetKey {
            keyring,
            address,
            local,
            remote,
        } => {
            let at = v2.keys.iter().position(|k| {
                k.address == *address
                    && k.mask == Ipv4Addr::BROADCAST
                    && (keyring.is_none() || k.container == *keyring)
            });
            let k = match at {
                Some(i) => &mut v2.keys[i],
                None => {
                    v2.keys.push(Ikev2Key {
                        address: *address,
                        mask: Ipv4Addr::BROADCAST,
                        local: None,
                        remote: None,
                        container: keyring.clone().or_else(|| Some(address.to_string())),
                        peer: None,
                        origin: Origin::default(),
                    });
                    let last = v2.keys.len() - 1;
                    &mut v2.keys[last]
                }
            };
            if local.is_some() {
                k.local = local.clone();
            }
            if remote.is_some() {
                k.remote = remote.clone();
            }
            true
        }
        Ikev2Fix::AddIpsecProposal { map, seq, proposal } => {
            v2.ipsec_proposals
                .insert(proposal.name.clone(), proposal.clone());
            match v2
                .entries
                .iter_mut()
                .find(|e| e.map == *map && e.seq == *seq)
            {
                Some(e) => {
                    e.ipsec_proposals.push(proposal.name.clone());
                    true
                }
                None => false,
            }
        }
    }
}

fn v2_enc(p: Platform, e: IkeEncryption) -> &'static str {
    match (p, e) {
        (_, IkeEncryption::Des) => "des",
        (_, IkeEncryption::TripleDes) => "3des",
        (Platform::Ios, IkeEncryption::Aes128) => "aes-cbc-128",
        (Platform::Ios, IkeEncryption::Aes192) => "aes-cbc-192",
        (Platform::Ios, IkeEncryption::Aes256) => "aes-cbc-256",
        (_, IkeEncryption::Aes128) => "aes",
        (_, IkeEncryption::Aes192) => "aes-192",
        (_, IkeEncryption::Aes256) => "aes-256",
    }
}

fn v2_hash(h: IkeHash) -> &'static str {
    match h {
        IkeHash::Md5 => "md5",
        IkeHash::Sha1 => "sha1",
        IkeHash::Sha256 => "sha256",
        IkeHash::Sha384 => "sha384",
        IkeHash::Sha512 => "sha512",
    }
}

/// ASA ESP names of a normalised transform (`esp-sha256-hmac` → `sha-256`).
fn asa_esp(t: &str) -> String {
    match t {
        "esp-sha-hmac" => "sha-1".into(),
        "esp-sha256-hmac" => "sha-256".into(),
        "esp-sha384-hmac" => "sha-384".into(),
        "esp-sha512-hmac" => "sha-512".into(),
        "esp-md5-hmac" => "md5".into(),
        "esp-gcm" => "aes-gcm".into(),
        other => {
            let t = other.strip_prefix("esp-").unwrap_or(other);
            t.replacen("gcm", "aes-gcm", 1)
        }
    }
}

fn ikev2_commands(c: &DeviceConfig, change: &Ikev2Fix) -> Vec<String> {
    let p = c.platform;
    let join = |v: &[String]| v.join(" ");
    match change {
        Ikev2Fix::SetIkev2 {
            map,
            seq,
            profile,
            ipsec_proposals,
        } => match p {
            Platform::Ios => vec![
                format!("crypto map {map} {seq} ipsec-isakmp"),
                format!(
                    " set ikev2-profile {}",
                    profile.as_deref().unwrap_or("<ikev2-profile>")
                ),
            ],
            _ => vec![format!(
                "crypto map {map} {seq} set ikev2 ipsec-proposal {}",
                join(ipsec_proposals)
            )],
        },
        Ikev2Fix::UnsetIkev2 { map, seq } => {
            let e = c.ikev2.entry(map, *seq);
            match p {
                Platform::Ios => vec![
                    format!("crypto map {map} {seq} ipsec-isakmp"),
                    format!(
                        " no set ikev2-profile {}",
                        e.and_then(|e| e.profile.clone()).unwrap_or_default()
                    )
                    .trim_end()
                    .to_string(),
                ],
                _ => vec![format!(
                    "no crypto map {map} {seq} set ikev2 ipsec-proposal {}",
                    e.map(|e| join(&e.ipsec_proposals)).unwrap_or_default()
                )
                .trim_end()
                .to_string()],
            }
        }
        Ikev2Fix::AddProposal { proposal } => {
            let list = |v: Vec<String>| v.join(" ");
            let enc = list(
                proposal
                    .encryption
                    .iter()
                    .map(|e| v2_enc(p, *e).to_string())
                    .collect(),
            );
            let integ = list(
                proposal
                    .integrity
                    .iter()
                    .map(|h| v2_hash(*h).to_string())
                    .collect(),
            );
            let groups = list(proposal.groups.iter().map(|g| g.to_string()).collect());
            let prf = list(
                proposal
                    .prf
                    .iter()
                    .map(|h| v2_hash(*h).to_string())
                    .collect(),
            );
            match p {
                Platform::Ios => {
                    let mut v = vec![
                        format!("crypto ikev2 proposal {}", proposal.name),
                        format!(" encryption {enc}"),
                        format!(" integrity {integ}"),
                        format!(" group {groups}"),
                    ];
                    if !prf.is_empty() {
                        v.push(format!(" prf {prf}"));
                    }
                    // Proposals count only when a policy names them.
                    let policy = c
                        .ikev2
                        .policies
                        .first()
                        .cloned()
                        .unwrap_or_else(|| "IKEV2-POLICY".to_string());
                    v.push(format!("crypto ikev2 policy {policy}"));
                    v.push(format!(" proposal {}", proposal.name));
                    v
                }
                _ => {
                    let mut v = vec![
                        format!("crypto ikev2 policy {}", proposal.name),
                        format!(" encryption {enc}"),
                        format!(" integrity {integ}"),
                        format!(" group {groups}"),
                    ];
                    if !prf.is_empty() {
                        v.push(format!(" prf {prf}"));
                    }
                    v
                }
            }
        }
        Ikev2Fix::MatchIdentity { profile, address } => vec![
            format!("crypto ikev2 profile {profile}"),
            format!(" match identity remote address {address} 255.255.255.255"),
        ],
        Ikev2Fix::SetKey {
            keyring,
            address,
            local,
            remote,
        } => match p {
            Platform::Ios => {
                let mut v = vec![
                    format!(
                        "crypto ikev2 keyring {}",
                        keyring.as_deref().unwrap_or("<keyring of the profile>")
                    ),
                    // The peer block that already holds a key for this
                    // address is the one to change; else a new one.
                    match c.ikev2.keys.iter().find(|k| {
                        k.address == *address && (keyring.is_none() || k.container == *keyring)
                    }) {
                        Some(Ikev2Key {
                            peer: Some(name), ..
                        }) => format!(" peer {name}"),
                        _ => format!(" peer PEER-{address}"),
                    },
                    format!("  address {address}"),
                ];
                if local.is_some() && local == remote {
                    v.push("  pre-shared-key <pre-shared-key>".to_string());
                } else {
                    if local.is_some() {
                        v.push("  pre-shared-key local <pre-shared-key>".to_string());
                    }
                    if remote.is_some() {
                        v.push("  pre-shared-key remote <peer's-pre-shared-key>".to_string());
                    }
                }
                v
            }
            _ => {
                let mut v = vec![
                    format!("tunnel-group {address} type ipsec-l2l"),
                    format!("tunnel-group {address} ipsec-attributes"),
                ];
                if remote.is_some() {
                    v.push(
                        " ikev2 remote-authentication pre-shared-key <peer's-pre-shared-key>"
                            .to_string(),
                    );
                }
                if local.is_some() {
                    v.push(
                        " ikev2 local-authentication pre-shared-key <pre-shared-key>".to_string(),
                    );
                }
                v
            }
        },
        Ikev2Fix::AddIpsecProposal { map, seq, proposal } => {
            let mut v = vec![format!(
                "crypto ipsec ikev2 ipsec-proposal {}",
                proposal.name
            )];
            v.push(format!(
                " protocol esp encryption {}",
                proposal
                    .encryption
                    .iter()
                    .map(|t| asa_esp(t))
                    .collect::<Vec<_>>()
                    .join(" ")
            ));
            if !proposal.integrity.is_empty() {
                v.push(format!(
                    " protocol esp integrity {}",
                    proposal
                        .integrity
                        .iter()
                        .map(|t| asa_esp(t))
                        .collect::<Vec<_>>()
                        .join(" ")
                ));
            }
            let mut names = c
                .ikev2
                .entry(map, *seq)
                .map(|e| e.ipsec_proposals.clone())
                .unwrap_or_default();
            names.push(proposal.name.clone());
            v.push(format!(
                "crypto map {map} {seq} set ikev2 ipsec-proposal {}",
                names.join(" ")
            ));
            v
        }
    }
}

fn enc_name(p: Platform, e: IkeEncryption) -> &'static str {
    match (p, e) {
        (_, IkeEncryption::Des) => "des",
        (_, IkeEncryption::TripleDes) => "3des",
        (Platform::Ios, IkeEncryption::Aes128) => "aes",
        (Platform::Ios, IkeEncryption::Aes192) => "aes 192",
        (Platform::Ios, IkeEncryption::Aes256) => "aes 256",
        (_, IkeEncryption::Aes128) => "aes",
        (_, IkeEncryption::Aes192) => "aes-192",
        (_, IkeEncryption::Aes256) => "aes-256",
    }
}

fn hash_name(h: IkeHash) -> &'static str {
    match h {
        IkeHash::Md5 => "md5",
        IkeHash::Sha1 => "sha",
        IkeHash::Sha256 => "sha256",
        IkeHash::Sha384 => "sha384",
        IkeHash::Sha512 => "sha512",
    }
}

fn auth_name(a: IkeAuth) -> &'static str {
    match a {
        IkeAuth::PreShare => "pre-share",
        IkeAuth::RsaSig => "rsa-sig",
        IkeAuth::RsaEncr => "rsa-encr",
    }
}

/// The commands that configure `pol` on a device of platform `p` (IOS
/// `crypto isakmp policy`, ASA `crypto ikev1 policy`, PIX `isakmp policy`),
/// one attribute per line after the first.
pub fn ike_policy_commands(p: Platform, pol: &IkePolicy) -> Vec<String> {
    let n = pol.priority;
    match p {
        Platform::Pix => vec![
            format!("isakmp policy {n} authentication {}", auth_name(pol.auth)),
            format!(
                "isakmp policy {n} encryption {}",
                enc_name(p, pol.encryption)
            ),
            format!("isakmp policy {n} hash {}", hash_name(pol.hash)),
            format!("isakmp policy {n} group {}", pol.group),
            format!("isakmp policy {n} lifetime {}", pol.lifetime),
        ],
        _ => vec![
            if p == Platform::Ios {
                format!("crypto isakmp policy {n}")
            } else {
                format!("crypto ikev1 policy {n}")
            },
            format!(" encryption {}", enc_name(p, pol.encryption)),
            format!(" hash {}", hash_name(pol.hash)),
            format!(" authentication {}", auth_name(pol.auth)),
            format!(" group {}", pol.group),
            format!(" lifetime {}", pol.lifetime),
        ],
    }
}

/// Renders a normalised transform (`esp-aes-256`) in the platform's syntax.
fn transform_name(p: Platform, t: &str) -> String {
    if p == Platform::Ios {
        for bits in ["128", "192", "256"] {
            if let Some(base) = t.strip_suffix(&format!("-{bits}")) {
                if base == "esp-aes" || base == "esp-gcm" || base == "esp-gmac" {
                    return format!("{base} {bits}");
                }
            }
        }
    }
    t.to_string()
}

fn transform_commands(p: Platform, t: &TransformSet) -> Vec<String> {
    let list = t
        .transforms
        .iter()
        .map(|x| transform_name(p, x))
        .collect::<Vec<_>>()
        .join(" ");
    match p {
        Platform::Ios => {
            let mut v = vec![format!("crypto ipsec transform-set {} {list}", t.name)];
            v.push(if t.tunnel_mode {
                " mode tunnel".to_string()
            } else {
                " mode transport".to_string()
            });
            v
        }
        Platform::Asa => {
            let mut v = vec![format!(
                "crypto ipsec ikev1 transform-set {} {list}",
                t.name
            )];
            if !t.tunnel_mode {
                v.push(format!(
                    "crypto ipsec ikev1 transform-set {} mode transport",
                    t.name
                ));
            }
            v
        }
        Platform::Pix => vec![format!("crypto ipsec transform-set {} {list}", t.name)],
    }
}

fn addr(p: Platform, m: &AddrMatch) -> String {
    if *m == AddrMatch::ANY {
        return if p == Platform::Asa {
            "any4".into()
        } else {
            "any".into()
        };
    }
    if m.wildcard == Ipv4Addr::UNSPECIFIED {
        return format!("host {}", m.addr);
    }
    match p {
        Platform::Ios => format!("{} {}", m.addr, m.wildcard),
        _ => format!("{} {}", m.addr, Ipv4Addr::from(!u32::from(m.wildcard))),
    }
}

fn port(pm: PortMatch) -> String {
    match pm {
        PortMatch::Any => String::new(),
        PortMatch::Range(a, b) if a == b => format!(" eq {a}"),
        PortMatch::Range(a, b) => format!(" range {a} {b}"),
        PortMatch::Not(x) => format!(" neq {x}"),
    }
}

fn acl_line(p: Platform, l: &AclEntry) -> String {
    let proto = match l.protocol {
        None => "ip".to_string(),
        Some(1) => "icmp".to_string(),
        Some(6) => "tcp".to_string(),
        Some(17) => "udp".to_string(),
        Some(n) => n.to_string(),
    };
    format!(
        "{} {proto} {}{} {}{}",
        if l.permit { "permit" } else { "deny" },
        addr(p, &l.src),
        port(l.src_port),
        addr(p, &l.dst),
        port(l.dst_port)
    )
}

/// The IOS keyring a key for `address` belongs in: the keyring that already
/// holds a key for that address, else the only keyring when every key of
/// the device is in it — among the keys that serve the device's own
/// address `own` (a keyring bound to another `local-address` would not be
/// consulted).
fn key_ring_for<'c>(
    c: &'c DeviceConfig,
    address: &impl std::fmt::Display,
    own: Option<Ipv4Addr>,
) -> Option<&'c str> {
    let addr = address.to_string();
    let serving = |k: &&PresharedKey| match own {
        Some(o) => c.key_serves(k, o),
        None => true,
    };
    if let Some(ring) = c
        .keys
        .iter()
        .filter(serving)
        .find(|k| k.address.to_string() == addr)
        .and_then(|k| k.container.as_deref())
    {
        return Some(ring);
    }
    let mut rings = c
        .keys
        .iter()
        .filter(serving)
        .map(|k| k.container.as_deref());
    let first = rings.next()??;
    rings.all(|r| r == Some(first)).then_some(first)
}

/// For a key that must serve IKE on the device's address `own` when that
/// address is in a front-door VRF: the keyring of that VRF (the first
/// configured, else `KEYRING-<VRF>`) and the VRF.
fn vrf_ring(c: &DeviceConfig, own: Option<Ipv4Addr>) -> Option<(String, String)> {
    let own = own?;
    let vrf = c
        .interfaces
        .iter()
        .find(|i| i.address.is_some_and(|(a, _)| a == own))?
        .vrf
        .clone()?;
    let ring = c
        .keyring_vrf
        .iter()
        .find(|(_, v)| **v == vrf)
        .map(|(r, _)| r.clone())
        .unwrap_or_else(|| format!("KEYRING-{vrf}"));
    Some((ring, vrf))
}

/// Whether `map seq` names an entry of a dynamic map only.
fn is_dynamic(c: &DeviceConfig, map: &str, seq: u32) -> bool {
    let is = |e: &&CryptoMapEntry| e.map == map && e.seq == seq;
    c.dynamic_maps.iter().any(|e| is(&e)) && !c.crypto_maps.iter().any(|e| is(&e))
}

/// Commands written for `crypto map MAP SEQ` in the form a dynamic map
/// entry takes: IOS `crypto dynamic-map MAP SEQ` (no `ipsec-isakmp`), ASA /
/// PIX `crypto dynamic-map MAP SEQ set …`.
fn dynamic_form(v: Vec<String>, map: &str, seq: u32) -> Vec<String> {
    let head = format!("crypto map {map} {seq}");
    let no_head = format!("no {head}");
    // `crypto map DYN 10` must not match `crypto map DYN 100`.
    let after = |line: &str, prefix: &str| -> Option<String> {
        let rest = line.strip_prefix(prefix)?;
        (rest.is_empty() || rest.starts_with(' ')).then(|| rest.to_string())
    };
    v.into_iter()
        .map(|line| {
            if line == format!("{head} ipsec-isakmp") {
                format!("crypto dynamic-map {map} {seq}")
            } else if let Some(rest) = after(&line, &head) {
                format!("crypto dynamic-map {map} {seq}{rest}")
            } else if let Some(rest) = after(&line, &no_head) {
                format!("no crypto dynamic-map {map} {seq}{rest}")
            } else {
                line
            }
        })
        .collect()
}

/// Commands written for crypto map entry `MAP SEQ` that stands for a
/// tunnel interface, in the form its IPsec profile takes: the IOS block
/// header becomes `crypto ipsec profile P`, and the ASA one-line forms
/// (`crypto map M N set …`) lines of that block.
fn profile_form(v: Vec<String>, map: &str, seq: u32, profile: &str) -> Vec<String> {
    let head = format!("crypto map {map} {seq}");
    let ios_head = format!("{head} ipsec-isakmp");
    let one_line = format!("{head} ");
    let no_line = format!("no {head} ");
    let mut out = Vec::new();
    let mut open = false;
    for line in v {
        let body = if line == ios_head {
            None
        } else if let Some(rest) = line.strip_prefix(&one_line) {
            Some(format!(" {rest}"))
        } else if let Some(rest) = line.strip_prefix(&no_line) {
            Some(format!(" no {rest}"))
        } else {
            // Lines of the block just opened stay in it; anything else
            // closes it.
            open &= line.starts_with(' ');
            out.push(line);
            continue;
        };
        if !open {
            out.push(format!("crypto ipsec profile {profile}"));
            open = true;
        }
        out.extend(body);
    }
    out
}
/// How a key command names its peer: the address, or `0.0.0.0 0.0.0.0`
/// (every address) for a peer whose address is assigned at run time.
fn key_target(address: Ipv4Addr) -> String {
    if address.is_unspecified() {
        format!("{address} {}", key_mask(address))
    } else {
        address.to_string()
    }
}

/// The mask of a key added for `address`: a host, or every address for a
/// peer whose address is assigned at run time (`0.0.0.0`).
fn key_mask(address: Ipv4Addr) -> Ipv4Addr {
    if address.is_unspecified() {
        Ipv4Addr::UNSPECIFIED
    } else {
        Ipv4Addr::BROADCAST
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dynamic_map_entries_are_written_as_dynamic_maps() {
        let v = vec![
            "crypto ipsec transform-set T esp-aes esp-sha-hmac".to_string(),
            "crypto map DYN 10 ipsec-isakmp".to_string(),
            " set transform-set T".to_string(),
            "crypto map DYN 10 set pfs group14".to_string(),
            "no crypto map DYN 10 set pfs".to_string(),
            "crypto map DYN 100 set pfs group14".to_string(),
        ];
        assert_eq!(
            dynamic_form(v, "DYN", 10),
            [
                "crypto ipsec transform-set T esp-aes esp-sha-hmac",
                "crypto dynamic-map DYN 10",
                " set transform-set T",
                "crypto dynamic-map DYN 10 set pfs group14",
                "no crypto dynamic-map DYN 10 set pfs",
                // Another entry (100, not 10) is left alone.
                "crypto map DYN 100 set pfs group14",
            ]
        );
    }
}
