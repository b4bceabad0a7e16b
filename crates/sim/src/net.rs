//! Addresses: which device owns an address, which address a crypto map uses.

use ipsec_doctor_model::config::DeviceConfig;
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// Which configuration owns each interface address; built once so that a
/// fleet of thousands of devices pairs in linear time.
#[derive(Debug, Clone, Default)]
pub struct AddressIndex {
    owners: HashMap<Ipv4Addr, usize>,
}

impl AddressIndex {
    /// Indexes every interface address (the first owner wins).
    pub fn build<C: std::borrow::Borrow<DeviceConfig>>(configs: &[C]) -> AddressIndex {
        let mut owners = HashMap::new();
        for (i, c) in configs.iter().map(|c| c.borrow()).enumerate() {
            for ifc in &c.interfaces {
                if let Some((a, _)) = ifc.address {
                    owners.entry(a).or_insert(i);
                }
            }
        }
        AddressIndex { owners }
    }

    /// Index of the configuration whose interface has `addr`.
    pub fn owner(&self, addr: Ipv4Addr) -> Option<usize> {
        self.owners.get(&addr).copied()
    }
}

/// The address a crypto map negotiates from: its `local-address` interface,
/// else the interface it is applied to.
pub fn local_address_for(c: &DeviceConfig, map: &str) -> Option<Ipv4Addr> {
    if let Some(ifname) = c.map_local_address.get(map) {
        return c.interface(ifname).and_then(|i| i.address).map(|(a, _)| a);
    }
    map_interface(c, map)
        .and_then(|i| i.address)
        .map(|(a, _)| a)
}

/// The interface a crypto map is applied to.
pub fn map_interface<'c>(
    c: &'c DeviceConfig,
    map: &str,
) -> Option<&'c ipsec_doctor_model::config::Interface> {
    c.interfaces
        .iter()
        .find(|i| i.crypto_map.as_deref() == Some(map) && !i.shutdown)
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
