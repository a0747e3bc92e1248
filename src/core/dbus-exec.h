/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/*
 * dbus-exec.h: the execution-context properties of systemd 252's bus_exec_vtable, in its order,
 * as a list of vtable entries that the type interfaces with processes (Service) splice into their
 * vtable after their own and the cgroup entries. Values come from the type's ExecContext (built
 * when the unit was loaded) or, for settings the manager does not implement, from the settings
 * store or systemd's default.
 */

#include "dbus-unit.h"

typedef struct ExecContext ExecContext;

/* The unit's execution context, NULL if its type has none (the defaults are shown then). */
ExecContext *bus_unit_exec_context(Unit *u);

DECLARE_BUS_GETTER(bus_exec_get_strv);
DECLARE_BUS_GETTER(bus_exec_get_syscall_filter);
DECLARE_BUS_GETTER(bus_exec_get_string);
DECLARE_BUS_GETTER(bus_exec_get_bool);
DECLARE_BUS_GETTER(bus_exec_get_int);
DECLARE_BUS_GETTER(bus_exec_get_u32);
DECLARE_BUS_GETTER(bus_exec_get_u64);
DECLARE_BUS_GETTER(bus_exec_get_rlimit);
DECLARE_BUS_GETTER(bus_exec_get_environment_files);
DECLARE_BUS_GETTER(bus_exec_get_stdin_data);
DECLARE_BUS_GETTER(bus_exec_get_bind_paths);
DECLARE_BUS_GETTER(bus_exec_get_temporary_filesystems);
DECLARE_BUS_GETTER(bus_exec_get_tty_size);
DECLARE_BUS_GETTER(bus_exec_get_selinux_context);

#define EXEC_P(name, sig, getter) BUS_PROPERTY(name, sig, getter, 0, BUS_VTABLE_PROPERTY_CONST)
#define EXEC_LIMIT(n) EXEC_P("Limit" n, "t", bus_exec_get_rlimit), EXEC_P("Limit" n "Soft", "t", bus_exec_get_rlimit)

#define BUS_EXEC_VTABLE_ITEMS                                                                     \
        EXEC_P("Environment", "as", bus_exec_get_strv),                                           \
        EXEC_P("EnvironmentFiles", "a(sb)", bus_exec_get_environment_files),                      \
        EXEC_P("PassEnvironment", "as", bus_exec_get_strv),                                       \
        EXEC_P("UnsetEnvironment", "as", bus_exec_get_strv),                                      \
        EXEC_P("UMask", "u", bus_exec_get_u32),                                                   \
        EXEC_LIMIT("CPU"), EXEC_LIMIT("FSIZE"), EXEC_LIMIT("DATA"), EXEC_LIMIT("STACK"),          \
        EXEC_LIMIT("CORE"), EXEC_LIMIT("RSS"), EXEC_LIMIT("NOFILE"), EXEC_LIMIT("AS"),            \
        EXEC_LIMIT("NPROC"), EXEC_LIMIT("MEMLOCK"), EXEC_LIMIT("LOCKS"), EXEC_LIMIT("SIGPENDING"), \
        EXEC_LIMIT("MSGQUEUE"), EXEC_LIMIT("NICE"), EXEC_LIMIT("RTPRIO"), EXEC_LIMIT("RTTIME"),   \
        EXEC_P("WorkingDirectory", "s", bus_exec_get_string),                                     \
        EXEC_P("RootDirectory", "s", bus_exec_get_string),                                        \
        EXEC_P("RootImage", "s", bus_exec_get_string),                                            \
        EXEC_P("RootImageOptions", "a(ss)", bus_prop_empty_a_ss),                                 \
        EXEC_P("RootHash", "ay", bus_prop_empty_ay),                                              \
        EXEC_P("RootHashPath", "s", bus_exec_get_string),                                         \
        EXEC_P("RootHashSignature", "ay", bus_prop_empty_ay),                                     \
        EXEC_P("RootHashSignaturePath", "s", bus_exec_get_string),                                \
        EXEC_P("RootVerity", "s", bus_exec_get_string),                                           \
        EXEC_P("ExtensionDirectories", "as", bus_exec_get_strv),                                  \
        EXEC_P("ExtensionImages", "a(sba(ss))", bus_prop_empty_a_sba_ss),                         \
        EXEC_P("MountImages", "a(ssba(ss))", bus_prop_empty_a_ssba_ss),                           \
        EXEC_P("OOMScoreAdjust", "i", bus_exec_get_int),                                          \
        EXEC_P("CoredumpFilter", "t", bus_exec_get_u64),                                          \
        EXEC_P("Nice", "i", bus_exec_get_int),                                                    \
        EXEC_P("IOSchedulingClass", "i", bus_exec_get_int),                                       \
        EXEC_P("IOSchedulingPriority", "i", bus_exec_get_int),                                    \
        EXEC_P("CPUSchedulingPolicy", "i", bus_exec_get_int),                                     \
        EXEC_P("CPUSchedulingPriority", "i", bus_exec_get_int),                                   \
        EXEC_P("CPUAffinity", "ay", bus_prop_empty_ay),                                           \
        EXEC_P("CPUAffinityFromNUMA", "b", bus_exec_get_bool),                                    \
        EXEC_P("NUMAPolicy", "i", bus_exec_get_int),                                              \
        EXEC_P("NUMAMask", "ay", bus_prop_empty_ay),                                              \
        EXEC_P("TimerSlackNSec", "t", bus_exec_get_u64),                                          \
        EXEC_P("CPUSchedulingResetOnFork", "b", bus_exec_get_bool),                               \
        EXEC_P("NonBlocking", "b", bus_exec_get_bool),                                            \
        EXEC_P("StandardInput", "s", bus_exec_get_string),                                        \
        EXEC_P("StandardInputFileDescriptorName", "s", bus_exec_get_string),                      \
        EXEC_P("StandardInputData", "ay", bus_exec_get_stdin_data),                               \
        EXEC_P("StandardOutput", "s", bus_exec_get_string),                                       \
        EXEC_P("StandardOutputFileDescriptorName", "s", bus_exec_get_string),                     \
        EXEC_P("StandardError", "s", bus_exec_get_string),                                        \
        EXEC_P("StandardErrorFileDescriptorName", "s", bus_exec_get_string),                      \
        EXEC_P("TTYPath", "s", bus_exec_get_string),                                              \
        EXEC_P("TTYReset", "b", bus_exec_get_bool),                                               \
        EXEC_P("TTYVHangup", "b", bus_exec_get_bool),                                             \
        EXEC_P("TTYVTDisallocate", "b", bus_exec_get_bool),                                       \
        EXEC_P("TTYRows", "q", bus_exec_get_tty_size),                                            \
        EXEC_P("TTYColumns", "q", bus_exec_get_tty_size),                                         \
        EXEC_P("SyslogPriority", "i", bus_exec_get_int),                                          \
        EXEC_P("SyslogIdentifier", "s", bus_exec_get_string),                                     \
        EXEC_P("SyslogLevelPrefix", "b", bus_exec_get_bool),                                      \
        EXEC_P("SyslogLevel", "i", bus_exec_get_int),                                             \
        EXEC_P("SyslogFacility", "i", bus_exec_get_int),                                          \
        EXEC_P("LogLevelMax", "i", bus_exec_get_int),                                             \
        EXEC_P("LogRateLimitIntervalUSec", "t", bus_exec_get_u64),                                \
        EXEC_P("LogRateLimitBurst", "u", bus_exec_get_u32),                                       \
        EXEC_P("LogExtraFields", "aay", bus_prop_empty_aay),                                      \
        EXEC_P("LogNamespace", "s", bus_exec_get_string),                                         \
        EXEC_P("SecureBits", "i", bus_exec_get_int),                                              \
        EXEC_P("CapabilityBoundingSet", "t", bus_exec_get_u64),                                   \
        EXEC_P("AmbientCapabilities", "t", bus_exec_get_u64),                                     \
        EXEC_P("User", "s", bus_exec_get_string),                                                 \
        EXEC_P("Group", "s", bus_exec_get_string),                                                \
        EXEC_P("DynamicUser", "b", bus_exec_get_bool),                                            \
        EXEC_P("RemoveIPC", "b", bus_exec_get_bool),                                              \
        EXEC_P("SetCredential", "a(say)", bus_prop_empty_a_say),                                  \
        EXEC_P("SetCredentialEncrypted", "a(say)", bus_prop_empty_a_say),                         \
        EXEC_P("LoadCredential", "a(ss)", bus_prop_empty_a_ss),                                   \
        EXEC_P("LoadCredentialEncrypted", "a(ss)", bus_prop_empty_a_ss),                          \
        EXEC_P("SupplementaryGroups", "as", bus_exec_get_strv),                                   \
        EXEC_P("PAMName", "s", bus_exec_get_string),                                              \
        EXEC_P("ReadWritePaths", "as", bus_exec_get_strv),                                        \
        EXEC_P("ReadOnlyPaths", "as", bus_exec_get_strv),                                         \
        EXEC_P("InaccessiblePaths", "as", bus_exec_get_strv),                                     \
        EXEC_P("ExecPaths", "as", bus_exec_get_strv),                                             \
        EXEC_P("NoExecPaths", "as", bus_exec_get_strv),                                           \
        EXEC_P("ExecSearchPath", "as", bus_exec_get_strv),                                        \
        EXEC_P("MountFlags", "t", bus_exec_get_u64),                                              \
        EXEC_P("PrivateTmp", "b", bus_exec_get_bool),                                             \
        EXEC_P("PrivateDevices", "b", bus_exec_get_bool),                                         \
        EXEC_P("ProtectClock", "b", bus_exec_get_bool),                                           \
        EXEC_P("ProtectKernelTunables", "b", bus_exec_get_bool),                                  \
        EXEC_P("ProtectKernelModules", "b", bus_exec_get_bool),                                   \
        EXEC_P("ProtectKernelLogs", "b", bus_exec_get_bool),                                      \
        EXEC_P("ProtectControlGroups", "b", bus_exec_get_bool),                                   \
        EXEC_P("PrivateNetwork", "b", bus_exec_get_bool),                                         \
        EXEC_P("PrivateUsers", "b", bus_exec_get_bool),                                           \
        EXEC_P("PrivateMounts", "b", bus_exec_get_bool),                                          \
        EXEC_P("PrivateIPC", "b", bus_exec_get_bool),                                             \
        EXEC_P("ProtectHome", "s", bus_exec_get_string),                                          \
        EXEC_P("ProtectSystem", "s", bus_exec_get_string),                                        \
        EXEC_P("SameProcessGroup", "b", bus_exec_get_bool),                                       \
        EXEC_P("UtmpIdentifier", "s", bus_exec_get_string),                                       \
        EXEC_P("UtmpMode", "s", bus_exec_get_string),                                             \
        EXEC_P("SELinuxContext", "(bs)", bus_exec_get_selinux_context),                           \
        EXEC_P("AppArmorProfile", "(bs)", bus_prop_bs_empty),                                     \
        EXEC_P("SmackProcessLabel", "(bs)", bus_prop_bs_empty),                                   \
        EXEC_P("IgnoreSIGPIPE", "b", bus_exec_get_bool),                                          \
        EXEC_P("NoNewPrivileges", "b", bus_exec_get_bool),                                        \
        EXEC_P("SystemCallFilter", "(bas)", bus_exec_get_syscall_filter),                                  \
        EXEC_P("SystemCallArchitectures", "as", bus_exec_get_strv),                               \
        EXEC_P("SystemCallErrorNumber", "i", bus_exec_get_int),                                   \
        EXEC_P("SystemCallLog", "(bas)", bus_prop_bas_empty),                                     \
        EXEC_P("Personality", "s", bus_exec_get_string),                                          \
        EXEC_P("LockPersonality", "b", bus_exec_get_bool),                                        \
        EXEC_P("RestrictAddressFamilies", "(bas)", bus_prop_bas_empty),                           \
        EXEC_P("RuntimeDirectorySymlink", "a(sst)", bus_prop_empty_a_sst),                        \
        EXEC_P("RuntimeDirectoryPreserve", "s", bus_exec_get_string),                             \
        EXEC_P("RuntimeDirectoryMode", "u", bus_exec_get_u32),                                    \
        EXEC_P("RuntimeDirectory", "as", bus_exec_get_strv),                                      \
        EXEC_P("StateDirectorySymlink", "a(sst)", bus_prop_empty_a_sst),                          \
        EXEC_P("StateDirectoryMode", "u", bus_exec_get_u32),                                      \
        EXEC_P("StateDirectory", "as", bus_exec_get_strv),                                        \
        EXEC_P("CacheDirectorySymlink", "a(sst)", bus_prop_empty_a_sst),                          \
        EXEC_P("CacheDirectoryMode", "u", bus_exec_get_u32),                                      \
        EXEC_P("CacheDirectory", "as", bus_exec_get_strv),                                        \
        EXEC_P("LogsDirectorySymlink", "a(sst)", bus_prop_empty_a_sst),                           \
        EXEC_P("LogsDirectoryMode", "u", bus_exec_get_u32),                                       \
        EXEC_P("LogsDirectory", "as", bus_exec_get_strv),                                         \
        EXEC_P("ConfigurationDirectoryMode", "u", bus_exec_get_u32),                              \
        EXEC_P("ConfigurationDirectory", "as", bus_exec_get_strv),                                \
        EXEC_P("TimeoutCleanUSec", "t", bus_exec_get_u64),                                        \
        EXEC_P("MemoryDenyWriteExecute", "b", bus_exec_get_bool),                                 \
        EXEC_P("RestrictRealtime", "b", bus_exec_get_bool),                                       \
        EXEC_P("RestrictSUIDSGID", "b", bus_exec_get_bool),                                       \
        EXEC_P("RestrictNamespaces", "t", bus_exec_get_u64),                                      \
        EXEC_P("RestrictFileSystems", "(bas)", bus_prop_bas_empty),                               \
        EXEC_P("BindPaths", "a(ssbt)", bus_exec_get_bind_paths),                                  \
        EXEC_P("BindReadOnlyPaths", "a(ssbt)", bus_exec_get_bind_paths),                          \
        EXEC_P("TemporaryFileSystem", "a(ss)", bus_exec_get_temporary_filesystems),               \
        EXEC_P("MountAPIVFS", "b", bus_exec_get_bool),                                            \
        EXEC_P("KeyringMode", "s", bus_exec_get_string),                                          \
        EXEC_P("ProtectProc", "s", bus_exec_get_string),                                          \
        EXEC_P("ProcSubset", "s", bus_exec_get_string),                                           \
        EXEC_P("ProtectHostname", "b", bus_exec_get_bool),                                        \
        EXEC_P("NetworkNamespacePath", "s", bus_exec_get_string),                                 \
        EXEC_P("IPCNamespacePath", "s", bus_exec_get_string),                                     \
        BUS_PROPERTY("Capabilities", "s", bus_prop_empty_string, 0, BUS_VTABLE_PROPERTY_CONST | BUS_VTABLE_HIDDEN), \
        BUS_PROPERTY("ReadWriteDirectories", "as", bus_exec_get_strv, 0, BUS_VTABLE_PROPERTY_CONST | BUS_VTABLE_HIDDEN), \
        BUS_PROPERTY("ReadOnlyDirectories", "as", bus_exec_get_strv, 0, BUS_VTABLE_PROPERTY_CONST | BUS_VTABLE_HIDDEN), \
        BUS_PROPERTY("InaccessibleDirectories", "as", bus_exec_get_strv, 0, BUS_VTABLE_PROPERTY_CONST | BUS_VTABLE_HIDDEN), \
        BUS_PROPERTY("IOScheduling", "i", bus_exec_get_int, 0, BUS_VTABLE_PROPERTY_CONST | BUS_VTABLE_HIDDEN)
