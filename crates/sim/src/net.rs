//! Addresses: which device owns an address, which address a crypto map uses.

use ipsec_doctor_model::config::DeviceConfig;
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// Which configuration owns each interface address; built once so that a
/// fleet of thousands of devices pairs in linear time.
#[derive(Debug, Clone, Default)]
pub struct AddressIndex {
    owners: HashMap<Ipv4Addr, usize>,
    /// Further owners of addresses more than one configuration holds (an
    /// HA pair's two units, a configuration copied and not readdressed).
    more: HashMap<Ipv4Addr, Vec<usize>>,
}

impl AddressIndex {
    /// Indexes every interface address.
    pub fn build<C: std::borrow::Borrow<DeviceConfig>>(configs: &[C]) -> AddressIndex {
        let mut owners = HashMap::new();
        let mut more: HashMap<Ipv4Addr, Vec<usize>> = HashMap::new();
        for (i, c) in configs.iter().map(|c| c.borrow()).enumerate() {
            for ifc in &c.interfaces {
                if let Some((a, _)) = ifc.address {
                    match owners.get(&a) {
                        None => {
                            owners.insert(a, i);
                        }
                        Some(&first) if first != i => {
                            let v = more.entry(a).or_default();
                            if !v.contains(&i) {
                                v.push(i);
                            }
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        AddressIndex { owners, more }
    }

    /// Index of the (first) configuration whose interface has `addr`.
    pub fn owner(&self, addr: Ipv4Addr) -> Option<usize> {
        self.owners.get(&addr).copied()
    }

    /// The configuration that answers IKE sent to `addr` from `from`: when
    /// several configurations own `addr`, the first that has a crypto map
    /// entry naming `from` as its peer (the end that points back), else
    /// the first owner.
    pub fn owner_for<C: std::borrow::Borrow<DeviceConfig>>(
        &self,
        configs: &[C],
        addr: Ipv4Addr,
        from: Option<Ipv4Addr>,
    ) -> Option<usize> {
        let first = self.owner(addr)?;
        let (Some(others), Some(from)) = (self.more.get(&addr), from) else {
            return Some(first);
        };
        let points_back = |i: usize| {
            configs.get(i).is_some_and(|c| {
                c.borrow()
                    .crypto_maps
                    .iter()
                    .any(|e| e.dynamic_ref.is_none() && e.peers.contains(&from))
            })
        };
        std::iter::once(first)
            .chain(others.iter().copied())
            .find(|&i| points_back(i))
            .or(Some(first))
    }
}

/// The address a crypto map negotiates from: its `local-address` interface,
/// else the interface it is applied to (see [`local_address_toward`]).
pub fn local_address_for(c: &DeviceConfig, map: &str) -> Option<Ipv4Addr> {
    if let Some(ifname) = c.map_local_address.get(map) {
        return c.interface(ifname).and_then(|i| i.address).map(|(a, _)| a);
    }
    map_interface(c, map)
        .and_then(|i| i.address)
        .map(|(a, _)| a)
}

/// The address a crypto map negotiates with `peer` from: its
/// `local-address` interface; else, of the interfaces the map is applied
/// to (IOS lets one map serve several uplinks), the one packets to `peer`
/// leave by, else the first with an address.
pub fn local_address_toward(c: &DeviceConfig, map: &str, peer: Ipv4Addr) -> Option<Ipv4Addr> {
    if c.map_local_address.contains_key(map) {
        return local_address_for(c, map);
    }
    let egress = egress_interface(c, peer);
    map_interfaces(c, map)
        .filter(|i| i.address.is_some())
        .find(|i| egress.is_some_and(|e| std::ptr::eq(e, *i)))
        .or_else(|| map_interface(c, map))
        .and_then(|i| i.address)
        .map(|(a, _)| a)
}

/// Every interface (not shut down) a crypto map is applied to.
pub fn map_interfaces<'c>(
    c: &'c DeviceConfig,
    map: &'c str,
) -> impl Iterator<Item = &'c ipsec_doctor_model::config::Interface> + 'c {
    c.interfaces
        .iter()
        .filter(move |i| i.crypto_map.as_deref() == Some(map) && !i.shutdown)
}

/// The interface a crypto map is applied to: the first with an address
/// (a map also applied to an interface without one, as Batfish's
/// `ios-crypto-map` test has, negotiates from the one that has an
/// address), else the first.
pub fn map_interface<'c>(
    c: &'c DeviceConfig,
    map: &'c str,
) -> Option<&'c ipsec_doctor_model::config::Interface> {
    map_interfaces(c, map)
        .find(|i| i.address.is_some())
        .or_else(|| map_interfaces(c, map).next())
}

/// The interface that owns `addr` on `c`.
pub fn interface_with(
    c: &DeviceConfig,
    addr: Ipv4Addr,
) -> Option<&ipsec_doctor_model::config::Interface> {
    c.interfaces
        .iter()
        .find(|i| i.address.is_some_and(|(a, _)| a == addr))
}

/// The interface packets to `dst` leave by: the connected subnet that holds
/// it, else the most specific static route's interface or the interface
/// whose subnet holds that route's next hop.
pub fn egress_interface(
    c: &DeviceConfig,
    dst: Ipv4Addr,
) -> Option<&ipsec_doctor_model::config::Interface> {
    let within = |a: Ipv4Addr, (ia, m): (Ipv4Addr, Ipv4Addr)| {
        u32::from(a) & u32::from(m) == u32::from(ia) & u32::from(m)
    };
    if let Some(i) = c
        .interfaces
        .iter()
        .find(|i| i.address.is_some_and(|ad| within(dst, ad)))
    {
        return Some(i);
    }
    let route = c
        .routes
        .iter()
        .filter(|r| within(dst, (r.network, r.mask)))
        .max_by_key(|r| u32::from(r.mask).count_ones())?;
    if let Some(name) = &route.interface {
        if let Some(i) = c.interface(name) {
            return Some(i);
        }
    }
    let hop = route.next_hop?;
    c.interfaces
        .iter()
        .find(|i| i.address.is_some_and(|ad| within(hop, ad)))
}
