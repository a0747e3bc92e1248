/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * dbus-cgroup.h: the cgroup properties of systemd 252, as vtable entries for the type interfaces
 * of units with a cgroup: BUS_UNIT_CGROUP_VTABLE_ITEMS (bus_unit_cgroup_vtable: Slice,
 * ControlGroup, the accounting counters, GetProcesses) and BUS_CGROUP_VTABLE_ITEMS
 * (bus_cgroup_vtable: the resource-control settings, from the settings store with systemd's
 * defaults). GetUnitProcesses shares the process list.
 */

#include "dbus-unit.h"

/* Replies with a(sus) (cgroup path, pid, command line) for every process of u. */
int bus_unit_reply_processes(Bus *bus, BusMessage *message, Unit *u, BusError *error);

DECLARE_BUS_GETTER(bus_cgroup_get_slice);
DECLARE_BUS_GETTER(bus_cgroup_get_control_group);
/* The cgroup's id (its inode number in cgroup2; kept after it is gone), 0 if never realized. */
DECLARE_BUS_GETTER(bus_cgroup_get_control_group_id);
DECLARE_BUS_GETTER(bus_cgroup_get_counter);
DECLARE_BUS_GETTER(bus_cgroup_get_bool);
DECLARE_BUS_GETTER(bus_cgroup_get_u64);
DECLARE_BUS_GETTER(bus_cgroup_get_string);
DECLARE_BUS_GETTER(bus_cgroup_get_strv);
int bus_cgroup_method_get_processes(Bus *bus, BusMessage *message, void *userdata, BusError *error);
int bus_cgroup_method_not_supported(Bus *bus, BusMessage *message, void *userdata, BusError *error);

#define CG_P(name, sig, getter) BUS_PROPERTY(name, sig, getter, 0, 0)
#define CG_C(name, sig, getter) BUS_PROPERTY(name, sig, getter, 0, BUS_VTABLE_PROPERTY_CONST)

#define BUS_UNIT_CGROUP_VTABLE_ITEMS                                                            \
        CG_P("Slice", "s", bus_cgroup_get_slice),                                               \
        CG_P("ControlGroup", "s", bus_cgroup_get_control_group),                                \
        CG_P("ControlGroupId", "t", bus_cgroup_get_control_group_id),                           \
        CG_P("MemoryCurrent", "t", bus_cgroup_get_counter),                                     \
        CG_P("MemoryAvailable", "t", bus_prop_max_t),                                           \
        CG_P("CPUUsageNSec", "t", bus_cgroup_get_counter),                                      \
        CG_P("EffectiveCPUs", "ay", bus_prop_empty_ay),                                         \
        CG_P("EffectiveMemoryNodes", "ay", bus_prop_empty_ay),                                  \
        CG_P("TasksCurrent", "t", bus_cgroup_get_counter),                                      \
        CG_P("IPIngressBytes", "t", bus_prop_max_t),                                            \
        CG_P("IPIngressPackets", "t", bus_prop_max_t),                                          \
        CG_P("IPEgressBytes", "t", bus_prop_max_t),                                             \
        CG_P("IPEgressPackets", "t", bus_prop_max_t),                                           \
        CG_P("IOReadBytes", "t", bus_prop_max_t),                                               \
        CG_P("IOReadOperations", "t", bus_prop_max_t),                                          \
        CG_P("IOWriteBytes", "t", bus_prop_max_t),                                              \
        CG_P("IOWriteOperations", "t", bus_prop_max_t),                                         \
        BUS_METHOD_WITH_NAMES("GetProcesses", "", "a(sus)", "processes\0",                      \
                              bus_cgroup_method_get_processes, 0),                              \
        BUS_METHOD_WITH_NAMES("AttachProcesses", "sau", "", "subcgroup\0pids\0",                \
                              bus_cgroup_method_not_supported, 0)

#define BUS_CGROUP_VTABLE_ITEMS                                                                 \
        CG_C("Delegate", "b", bus_cgroup_get_bool),                                             \
        CG_C("DelegateControllers", "as", bus_cgroup_get_strv),                                 \
        CG_C("CPUAccounting", "b", bus_cgroup_get_bool),                                        \
        CG_C("CPUWeight", "t", bus_cgroup_get_u64),                                             \
        CG_C("StartupCPUWeight", "t", bus_cgroup_get_u64),                                      \
        CG_C("CPUShares", "t", bus_cgroup_get_u64),                                             \
        CG_C("StartupCPUShares", "t", bus_cgroup_get_u64),                                      \
        CG_C("CPUQuotaPerSecUSec", "t", bus_cgroup_get_u64),                                    \
        CG_C("CPUQuotaPeriodUSec", "t", bus_cgroup_get_u64),                                    \
        CG_C("AllowedCPUs", "ay", bus_prop_empty_ay),                                           \
        CG_C("StartupAllowedCPUs", "ay", bus_prop_empty_ay),                                    \
        CG_C("AllowedMemoryNodes", "ay", bus_prop_empty_ay),                                    \
        CG_C("StartupAllowedMemoryNodes", "ay", bus_prop_empty_ay),                             \
        CG_C("IOAccounting", "b", bus_cgroup_get_bool),                                         \
        CG_C("IOWeight", "t", bus_cgroup_get_u64),                                              \
        CG_C("StartupIOWeight", "t", bus_cgroup_get_u64),                                       \
        CG_C("IODeviceWeight", "a(st)", bus_prop_empty_a_st),                                   \
        CG_C("IOReadBandwidthMax", "a(st)", bus_prop_empty_a_st),                               \
        CG_C("IOWriteBandwidthMax", "a(st)", bus_prop_empty_a_st),                              \
        CG_C("IOReadIOPSMax", "a(st)", bus_prop_empty_a_st),                                    \
        CG_C("IOWriteIOPSMax", "a(st)", bus_prop_empty_a_st),                                   \
        CG_C("IODeviceLatencyTargetUSec", "a(st)", bus_prop_empty_a_st),                        \
        CG_C("BlockIOAccounting", "b", bus_cgroup_get_bool),                                    \
        CG_C("BlockIOWeight", "t", bus_cgroup_get_u64),                                         \
        CG_C("StartupBlockIOWeight", "t", bus_cgroup_get_u64),                                  \
        CG_C("BlockIODeviceWeight", "a(st)", bus_prop_empty_a_st),                              \
        CG_C("BlockIOReadBandwidth", "a(st)", bus_prop_empty_a_st),                             \
        CG_C("BlockIOWriteBandwidth", "a(st)", bus_prop_empty_a_st),                            \
        CG_C("MemoryAccounting", "b", bus_cgroup_get_bool),                                     \
        CG_C("DefaultMemoryLow", "t", bus_cgroup_get_u64),                                      \
        CG_C("DefaultMemoryMin", "t", bus_cgroup_get_u64),                                      \
        CG_C("MemoryMin", "t", bus_cgroup_get_u64),                                             \
        CG_C("MemoryLow", "t", bus_cgroup_get_u64),                                             \
        CG_C("MemoryHigh", "t", bus_cgroup_get_u64),                                            \
        CG_C("MemoryMax", "t", bus_cgroup_get_u64),                                             \
        CG_C("MemorySwapMax", "t", bus_cgroup_get_u64),                                         \
        CG_C("MemoryLimit", "t", bus_cgroup_get_u64),                                           \
        CG_C("DevicePolicy", "s", bus_cgroup_get_string),                                       \
        CG_C("DeviceAllow", "a(ss)", bus_prop_empty_a_ss),                                      \
        CG_C("TasksAccounting", "b", bus_cgroup_get_bool),                                      \
        CG_C("TasksMax", "t", bus_cgroup_get_u64),                                              \
        CG_C("IPAccounting", "b", bus_cgroup_get_bool),                                         \
        CG_C("IPAddressAllow", "a(iayu)", bus_prop_empty_a_iayu),                               \
        CG_C("IPAddressDeny", "a(iayu)", bus_prop_empty_a_iayu),                                \
        CG_C("IPIngressFilterPath", "as", bus_cgroup_get_strv),                                 \
        CG_C("IPEgressFilterPath", "as", bus_cgroup_get_strv),                                  \
        CG_C("DisableControllers", "as", bus_cgroup_get_strv),                                  \
        CG_C("ManagedOOMSwap", "s", bus_cgroup_get_string),                                     \
        CG_C("ManagedOOMMemoryPressure", "s", bus_cgroup_get_string),                           \
        CG_C("ManagedOOMMemoryPressureLimit", "u", bus_prop_zero_u),                            \
        CG_C("ManagedOOMPreference", "s", bus_cgroup_get_string),                               \
        CG_C("BPFProgram", "a(ss)", bus_prop_empty_a_ss),                                       \
        CG_C("SocketBindAllow", "a(iiqq)", bus_prop_empty_a_iiqq),                              \
        CG_C("SocketBindDeny", "a(iiqq)", bus_prop_empty_a_iiqq),                               \
        CG_C("RestrictNetworkInterfaces", "(bas)", bus_prop_bas_empty)
