/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * wire-shapes.c: the messages of the dbus-wire benchmark, see wire-shapes.h. The property table
 * lists, in vtable order, every property that systemd 252's GetAll("") returns on a service
 * unit (src/core/dbus-service.c, the unit-cgroup vtable of dbus-unit.c, dbus-cgroup.c,
 * dbus-execute.c, dbus-kill.c, then bus_unit_vtable of dbus-unit.c; dual timestamps and the
 * ExecMain status expanded, SD_BUS_VTABLE_HIDDEN ones left out), with its signature and the
 * value a running ssh.service has, in the text notation of wire-value.h.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bus/bus-message.h"
#include "wire-shapes.h"

typedef struct PropertyRow {
        const char *name, *signature, *value;
} PropertyRow;

static const PropertyRow service_properties[] = {
        { "Type", "s", "'notify'" },
        { "ExitType", "s", "'main'" },
        { "Restart", "s", "'on-failure'" },
        { "PIDFile", "s", "''" },
        { "NotifyAccess", "s", "'main'" },
        { "RestartUSec", "t", "100000" },
        { "TimeoutStartUSec", "t", "90000000" },
        { "TimeoutStopUSec", "t", "90000000" },
        { "TimeoutAbortUSec", "t", "90000000" },
        { "TimeoutStartFailureMode", "s", "'terminate'" },
        { "TimeoutStopFailureMode", "s", "'terminate'" },
        { "RuntimeMaxUSec", "t", "18446744073709551615" },
        { "RuntimeRandomizedExtraUSec", "t", "0" },
        { "WatchdogUSec", "t", "0" },
        { "WatchdogTimestamp", "t", "0" },
        { "WatchdogTimestampMonotonic", "t", "0" },
        { "RootDirectoryStartOnly", "b", "false" },
        { "RemainAfterExit", "b", "false" },
        { "GuessMainPID", "b", "false" },
        { "RestartPreventExitStatus", "(aiai)", "1 255 0" },
        { "RestartForceExitStatus", "(aiai)", "0 0" },
        { "SuccessExitStatus", "(aiai)", "0 0" },
        { "MainPID", "u", "612" },
        { "ControlPID", "u", "0" },
        { "BusName", "s", "''" },
        { "FileDescriptorStoreMax", "u", "0" },
        { "NFileDescriptorStore", "u", "0" },
        { "StatusText", "s", "''" },
        { "StatusErrno", "i", "0" },
        { "Result", "s", "'success'" },
        { "ReloadResult", "s", "'success'" },
        { "CleanResult", "s", "'success'" },
        { "USBFunctionDescriptors", "s", "''" },
        { "USBFunctionStrings", "s", "''" },
        { "UID", "u", "4294967295" },
        { "GID", "u", "4294967295" },
        { "NRestarts", "u", "0" },
        { "OOMPolicy", "s", "'stop'" },
        { "ExecMainStartTimestamp", "t", "1718000000031000" },
        { "ExecMainStartTimestampMonotonic", "t", "4031000" },
        { "ExecMainExitTimestamp", "t", "0" },
        { "ExecMainExitTimestampMonotonic", "t", "0" },
        { "ExecMainPID", "u", "612" },
        { "ExecMainCode", "i", "0" },
        { "ExecMainStatus", "i", "0" },
        { "ExecCondition", "a(sasbttttuii)", "0" },
        { "ExecConditionEx", "a(sasasttttuii)", "0" },
        { "ExecStartPre", "a(sasbttttuii)", "1 '/usr/sbin/sshd' 2 '/usr/sbin/sshd' '-t' false 1718000000000000 4000000 1718000000009000 4009000 600 1 0" },
        { "ExecStartPreEx", "a(sasasttttuii)", "1 '/usr/sbin/sshd' 2 '/usr/sbin/sshd' '-t' 0 1718000000000000 4000000 1718000000009000 4009000 600 1 0" },
        { "ExecStart", "a(sasbttttuii)", "1 '/usr/sbin/sshd' 3 '/usr/sbin/sshd' '-D' '$SSHD_OPTS' false 1718000000031000 4031000 0 0 612 0 0" },
        { "ExecStartEx", "a(sasasttttuii)", "1 '/usr/sbin/sshd' 3 '/usr/sbin/sshd' '-D' '$SSHD_OPTS' 0 1718000000031000 4031000 0 0 612 0 0" },
        { "ExecStartPost", "a(sasbttttuii)", "0" },
        { "ExecStartPostEx", "a(sasasttttuii)", "0" },
        { "ExecReload", "a(sasbttttuii)", "2 '/usr/sbin/sshd' 2 '/usr/sbin/sshd' '-t' false 0 0 0 0 0 0 0 '/bin/kill' 3 '/bin/kill' '-HUP' '$MAINPID' false 0 0 0 0 0 0 0" },
        { "ExecReloadEx", "a(sasasttttuii)", "2 '/usr/sbin/sshd' 2 '/usr/sbin/sshd' '-t' 0 0 0 0 0 0 0 0 '/bin/kill' 3 '/bin/kill' '-HUP' '$MAINPID' 0 0 0 0 0 0 0 0" },
        { "ExecStop", "a(sasbttttuii)", "0" },
        { "ExecStopEx", "a(sasasttttuii)", "0" },
        { "ExecStopPost", "a(sasbttttuii)", "0" },
        { "ExecStopPostEx", "a(sasasttttuii)", "0" },
        { "Slice", "s", "'system.slice'" },
        { "ControlGroup", "s", "'/system.slice/ssh.service'" },
        { "ControlGroupId", "t", "2317" },
        { "MemoryCurrent", "t", "5455872" },
        { "MemoryAvailable", "t", "18446744073709551615" },
        { "CPUUsageNSec", "t", "81237000" },
        { "EffectiveCPUs", "ay", "1 3" },
        { "EffectiveMemoryNodes", "ay", "1 1" },
        { "TasksCurrent", "t", "1" },
        { "IPIngressBytes", "t", "18446744073709551615" },
        { "IPIngressPackets", "t", "18446744073709551615" },
        { "IPEgressBytes", "t", "18446744073709551615" },
        { "IPEgressPackets", "t", "18446744073709551615" },
        { "IOReadBytes", "t", "18446744073709551615" },
        { "IOReadOperations", "t", "18446744073709551615" },
        { "IOWriteBytes", "t", "18446744073709551615" },
        { "IOWriteOperations", "t", "18446744073709551615" },
        { "Delegate", "b", "false" },
        { "DelegateControllers", "as", "0" },
        { "CPUAccounting", "b", "true" },
        { "CPUWeight", "t", "18446744073709551615" },
        { "StartupCPUWeight", "t", "18446744073709551615" },
        { "CPUShares", "t", "18446744073709551615" },
        { "StartupCPUShares", "t", "18446744073709551615" },
        { "CPUQuotaPerSecUSec", "t", "18446744073709551615" },
        { "CPUQuotaPeriodUSec", "t", "18446744073709551615" },
        { "AllowedCPUs", "ay", "0" },
        { "StartupAllowedCPUs", "ay", "0" },
        { "AllowedMemoryNodes", "ay", "0" },
        { "StartupAllowedMemoryNodes", "ay", "0" },
        { "IOAccounting", "b", "false" },
        { "IOWeight", "t", "18446744073709551615" },
        { "StartupIOWeight", "t", "18446744073709551615" },
        { "IODeviceWeight", "a(st)", "0" },
        { "IOReadBandwidthMax", "a(st)", "0" },
        { "IOWriteBandwidthMax", "a(st)", "0" },
        { "IOReadIOPSMax", "a(st)", "0" },
        { "IOWriteIOPSMax", "a(st)", "0" },
        { "IODeviceLatencyTargetUSec", "a(st)", "0" },
        { "BlockIOAccounting", "b", "false" },
        { "BlockIOWeight", "t", "18446744073709551615" },
        { "StartupBlockIOWeight", "t", "18446744073709551615" },
        { "BlockIODeviceWeight", "a(st)", "0" },
        { "BlockIOReadBandwidth", "a(st)", "0" },
        { "BlockIOWriteBandwidth", "a(st)", "0" },
        { "MemoryAccounting", "b", "true" },
        { "DefaultMemoryLow", "t", "0" },
        { "DefaultMemoryMin", "t", "0" },
        { "MemoryMin", "t", "0" },
        { "MemoryLow", "t", "0" },
        { "MemoryHigh", "t", "18446744073709551615" },
        { "MemoryMax", "t", "18446744073709551615" },
        { "MemorySwapMax", "t", "18446744073709551615" },
        { "MemoryLimit", "t", "18446744073709551615" },
        { "DevicePolicy", "s", "'auto'" },
        { "DeviceAllow", "a(ss)", "0" },
        { "TasksAccounting", "b", "true" },
        { "TasksMax", "t", "4915" },
        { "IPAccounting", "b", "false" },
        { "IPAddressAllow", "a(iayu)", "0" },
        { "IPAddressDeny", "a(iayu)", "0" },
        { "IPIngressFilterPath", "as", "0" },
        { "IPEgressFilterPath", "as", "0" },
        { "DisableControllers", "as", "0" },
        { "ManagedOOMSwap", "s", "'auto'" },
        { "ManagedOOMMemoryPressure", "s", "'auto'" },
        { "ManagedOOMMemoryPressureLimit", "u", "0" },
        { "ManagedOOMPreference", "s", "'none'" },
        { "BPFProgram", "a(ss)", "0" },
        { "SocketBindAllow", "a(iiqq)", "0" },
        { "SocketBindDeny", "a(iiqq)", "0" },
        { "RestrictNetworkInterfaces", "(bas)", "false 0" },
        { "Environment", "as", "0" },
        { "EnvironmentFiles", "a(sb)", "1 '/etc/default/ssh' true" },
        { "PassEnvironment", "as", "0" },
        { "UnsetEnvironment", "as", "0" },
        { "UMask", "u", "18" },
        { "LimitCPU", "t", "18446744073709551615" },
        { "LimitCPUSoft", "t", "18446744073709551615" },
        { "LimitFSIZE", "t", "18446744073709551615" },
        { "LimitFSIZESoft", "t", "18446744073709551615" },
        { "LimitDATA", "t", "18446744073709551615" },
        { "LimitDATASoft", "t", "18446744073709551615" },
        { "LimitSTACK", "t", "18446744073709551615" },
        { "LimitSTACKSoft", "t", "8388608" },
        { "LimitCORE", "t", "18446744073709551615" },
        { "LimitCORESoft", "t", "0" },
        { "LimitRSS", "t", "18446744073709551615" },
        { "LimitRSSSoft", "t", "18446744073709551615" },
        { "LimitNOFILE", "t", "524288" },
        { "LimitNOFILESoft", "t", "1024" },
        { "LimitAS", "t", "18446744073709551615" },
        { "LimitASSoft", "t", "18446744073709551615" },
        { "LimitNPROC", "t", "31541" },
        { "LimitNPROCSoft", "t", "31541" },
        { "LimitMEMLOCK", "t", "8388608" },
        { "LimitMEMLOCKSoft", "t", "8388608" },
        { "LimitLOCKS", "t", "18446744073709551615" },
        { "LimitLOCKSSoft", "t", "18446744073709551615" },
        { "LimitSIGPENDING", "t", "31541" },
        { "LimitSIGPENDINGSoft", "t", "31541" },
        { "LimitMSGQUEUE", "t", "819200" },
        { "LimitMSGQUEUESoft", "t", "819200" },
        { "LimitNICE", "t", "0" },
        { "LimitNICESoft", "t", "0" },
        { "LimitRTPRIO", "t", "0" },
        { "LimitRTPRIOSoft", "t", "0" },
        { "LimitRTTIME", "t", "18446744073709551615" },
        { "LimitRTTIMESoft", "t", "18446744073709551615" },
        { "WorkingDirectory", "s", "''" },
        { "RootDirectory", "s", "''" },
        { "RootImage", "s", "''" },
        { "RootImageOptions", "a(ss)", "0" },
        { "RootHash", "ay", "0" },
        { "RootHashPath", "s", "''" },
        { "RootHashSignature", "ay", "0" },
        { "RootHashSignaturePath", "s", "''" },
        { "RootVerity", "s", "''" },
        { "ExtensionDirectories", "as", "0" },
        { "ExtensionImages", "a(sba(ss))", "0" },
        { "MountImages", "a(ssba(ss))", "0" },
        { "OOMScoreAdjust", "i", "0" },
        { "CoredumpFilter", "t", "51" },
        { "Nice", "i", "0" },
        { "IOSchedulingClass", "i", "2" },
        { "IOSchedulingPriority", "i", "4" },
        { "CPUSchedulingPolicy", "i", "0" },
        { "CPUSchedulingPriority", "i", "0" },
        { "CPUAffinity", "ay", "0" },
        { "CPUAffinityFromNUMA", "b", "false" },
        { "NUMAPolicy", "i", "-1" },
        { "NUMAMask", "ay", "0" },
        { "TimerSlackNSec", "t", "50000" },
        { "CPUSchedulingResetOnFork", "b", "false" },
        { "NonBlocking", "b", "false" },
        { "StandardInput", "s", "'null'" },
        { "StandardInputFileDescriptorName", "s", "''" },
        { "StandardInputData", "ay", "0" },
        { "StandardOutput", "s", "'journal'" },
        { "StandardOutputFileDescriptorName", "s", "''" },
        { "StandardError", "s", "'inherit'" },
        { "StandardErrorFileDescriptorName", "s", "''" },
        { "TTYPath", "s", "''" },
        { "TTYReset", "b", "false" },
        { "TTYVHangup", "b", "false" },
        { "TTYVTDisallocate", "b", "false" },
        { "TTYRows", "q", "65535" },
        { "TTYColumns", "q", "65535" },
        { "SyslogPriority", "i", "30" },
        { "SyslogIdentifier", "s", "''" },
        { "SyslogLevelPrefix", "b", "true" },
        { "SyslogLevel", "i", "6" },
        { "SyslogFacility", "i", "3" },
        { "LogLevelMax", "i", "-1" },
        { "LogRateLimitIntervalUSec", "t", "0" },
        { "LogRateLimitBurst", "u", "0" },
        { "LogExtraFields", "aay", "0" },
        { "LogNamespace", "s", "''" },
        { "SecureBits", "i", "0" },
        { "CapabilityBoundingSet", "t", "2199023255551" },
        { "AmbientCapabilities", "t", "0" },
        { "User", "s", "''" },
        { "Group", "s", "''" },
        { "DynamicUser", "b", "false" },
        { "RemoveIPC", "b", "false" },
        { "SetCredential", "a(say)", "0" },
        { "SetCredentialEncrypted", "a(say)", "0" },
        { "LoadCredential", "a(ss)", "0" },
        { "LoadCredentialEncrypted", "a(ss)", "0" },
        { "SupplementaryGroups", "as", "0" },
        { "PAMName", "s", "''" },
        { "ReadWritePaths", "as", "0" },
        { "ReadOnlyPaths", "as", "0" },
        { "InaccessiblePaths", "as", "0" },
        { "ExecPaths", "as", "0" },
        { "NoExecPaths", "as", "0" },
        { "ExecSearchPath", "as", "0" },
        { "MountFlags", "t", "0" },
        { "PrivateTmp", "b", "false" },
        { "PrivateDevices", "b", "false" },
        { "ProtectClock", "b", "false" },
        { "ProtectKernelTunables", "b", "false" },
        { "ProtectKernelModules", "b", "false" },
        { "ProtectKernelLogs", "b", "false" },
        { "ProtectControlGroups", "b", "false" },
        { "PrivateNetwork", "b", "false" },
        { "PrivateUsers", "b", "false" },
        { "PrivateMounts", "b", "false" },
        { "PrivateIPC", "b", "false" },
        { "ProtectHome", "s", "'no'" },
        { "ProtectSystem", "s", "'no'" },
        { "SameProcessGroup", "b", "false" },
        { "UtmpIdentifier", "s", "''" },
        { "UtmpMode", "s", "'init'" },
        { "SELinuxContext", "(bs)", "false ''" },
        { "AppArmorProfile", "(bs)", "false ''" },
        { "SmackProcessLabel", "(bs)", "false ''" },
        { "IgnoreSIGPIPE", "b", "true" },
        { "NoNewPrivileges", "b", "false" },
        { "SystemCallFilter", "(bas)", "false 0" },
        { "SystemCallArchitectures", "as", "0" },
        { "SystemCallErrorNumber", "i", "2147483646" },
        { "SystemCallLog", "(bas)", "false 0" },
        { "Personality", "s", "''" },
        { "LockPersonality", "b", "false" },
        { "RestrictAddressFamilies", "(bas)", "false 0" },
        { "RuntimeDirectorySymlink", "a(sst)", "0" },
        { "RuntimeDirectoryPreserve", "s", "'no'" },
        { "RuntimeDirectoryMode", "u", "493" },
        { "RuntimeDirectory", "as", "1 'sshd'" },
        { "StateDirectorySymlink", "a(sst)", "0" },
        { "StateDirectoryMode", "u", "493" },
        { "StateDirectory", "as", "0" },
        { "CacheDirectorySymlink", "a(sst)", "0" },
        { "CacheDirectoryMode", "u", "493" },
        { "CacheDirectory", "as", "0" },
        { "LogsDirectorySymlink", "a(sst)", "0" },
        { "LogsDirectoryMode", "u", "493" },
        { "LogsDirectory", "as", "0" },
        { "ConfigurationDirectoryMode", "u", "493" },
        { "ConfigurationDirectory", "as", "0" },
        { "TimeoutCleanUSec", "t", "18446744073709551615" },
        { "MemoryDenyWriteExecute", "b", "false" },
        { "RestrictRealtime", "b", "false" },
        { "RestrictSUIDSGID", "b", "false" },
        { "RestrictNamespaces", "t", "2114060288" },
        { "RestrictFileSystems", "(bas)", "false 0" },
        { "BindPaths", "a(ssbt)", "0" },
        { "BindReadOnlyPaths", "a(ssbt)", "0" },
        { "TemporaryFileSystem", "a(ss)", "0" },
        { "MountAPIVFS", "b", "false" },
        { "KeyringMode", "s", "'private'" },
        { "ProtectProc", "s", "'default'" },
        { "ProcSubset", "s", "'all'" },
        { "ProtectHostname", "b", "false" },
        { "NetworkNamespacePath", "s", "''" },
        { "IPCNamespacePath", "s", "''" },
        { "KillMode", "s", "'process'" },
        { "KillSignal", "i", "15" },
        { "RestartKillSignal", "i", "15" },
        { "FinalKillSignal", "i", "9" },
        { "SendSIGKILL", "b", "true" },
        { "SendSIGHUP", "b", "false" },
        { "WatchdogSignal", "i", "6" },
        { "Id", "s", "'ssh.service'" },
        { "Names", "as", "2 'ssh.service' 'sshd.service'" },
        { "Following", "s", "''" },
        { "Requires", "as", "2 'system.slice' 'sysinit.target'" },
        { "Requisite", "as", "0" },
        { "Wants", "as", "0" },
        { "BindsTo", "as", "0" },
        { "PartOf", "as", "0" },
        { "Upholds", "as", "0" },
        { "RequiredBy", "as", "0" },
        { "RequisiteOf", "as", "0" },
        { "WantedBy", "as", "1 'multi-user.target'" },
        { "BoundBy", "as", "0" },
        { "UpheldBy", "as", "0" },
        { "ConsistsOf", "as", "0" },
        { "Conflicts", "as", "1 'shutdown.target'" },
        { "ConflictedBy", "as", "0" },
        { "Before", "as", "2 'shutdown.target' 'multi-user.target'" },
        { "After", "as", "6 'network.target' 'auditd.service' 'systemd-journald.socket' 'basic.target' 'system.slice' 'sysinit.target'" },
        { "OnSuccess", "as", "0" },
        { "OnSuccessOf", "as", "0" },
        { "OnFailure", "as", "0" },
        { "OnFailureOf", "as", "0" },
        { "Triggers", "as", "0" },
        { "TriggeredBy", "as", "0" },
        { "PropagatesReloadTo", "as", "0" },
        { "ReloadPropagatedFrom", "as", "0" },
        { "PropagatesStopTo", "as", "0" },
        { "StopPropagatedFrom", "as", "0" },
        { "JoinsNamespaceOf", "as", "0" },
        { "SliceOf", "as", "0" },
        { "RequiresMountsFor", "as", "0" },
        { "Documentation", "as", "2 'man:sshd(8)' 'man:sshd_config(5)'" },
        { "Description", "s", "'OpenBSD Secure Shell server'" },
        { "AccessSELinuxContext", "s", "''" },
        { "LoadState", "s", "'loaded'" },
        { "ActiveState", "s", "'active'" },
        { "FreezerState", "s", "'running'" },
        { "SubState", "s", "'running'" },
        { "FragmentPath", "s", "'/lib/systemd/system/ssh.service'" },
        { "SourcePath", "s", "''" },
        { "DropInPaths", "as", "0" },
        { "UnitFileState", "s", "'enabled'" },
        { "UnitFilePreset", "s", "'enabled'" },
        { "StateChangeTimestamp", "t", "1718000000052000" },
        { "StateChangeTimestampMonotonic", "t", "4052000" },
        { "InactiveExitTimestamp", "t", "1718000000020000" },
        { "InactiveExitTimestampMonotonic", "t", "4020000" },
        { "ActiveEnterTimestamp", "t", "1718000000052000" },
        { "ActiveEnterTimestampMonotonic", "t", "4052000" },
        { "ActiveExitTimestamp", "t", "0" },
        { "ActiveExitTimestampMonotonic", "t", "0" },
        { "InactiveEnterTimestamp", "t", "0" },
        { "InactiveEnterTimestampMonotonic", "t", "0" },
        { "CanStart", "b", "true" },
        { "CanStop", "b", "true" },
        { "CanReload", "b", "true" },
        { "CanIsolate", "b", "false" },
        { "CanClean", "as", "1 'runtime'" },
        { "CanFreeze", "b", "true" },
        { "Job", "(uo)", "0 '/'" },
        { "StopWhenUnneeded", "b", "false" },
        { "RefuseManualStart", "b", "false" },
        { "RefuseManualStop", "b", "false" },
        { "AllowIsolate", "b", "false" },
        { "DefaultDependencies", "b", "true" },
        { "OnSuccessJobMode", "s", "'fail'" },
        { "OnFailureJobMode", "s", "'replace'" },
        { "IgnoreOnIsolate", "b", "false" },
        { "NeedDaemonReload", "b", "false" },
        { "Markers", "as", "0" },
        { "JobTimeoutUSec", "t", "18446744073709551615" },
        { "JobRunningTimeoutUSec", "t", "18446744073709551615" },
        { "JobTimeoutAction", "s", "'none'" },
        { "JobTimeoutRebootArgument", "s", "''" },
        { "ConditionResult", "b", "true" },
        { "AssertResult", "b", "true" },
        { "ConditionTimestamp", "t", "1718000000019000" },
        { "ConditionTimestampMonotonic", "t", "4019000" },
        { "AssertTimestamp", "t", "1718000000019000" },
        { "AssertTimestampMonotonic", "t", "4019000" },
        { "Conditions", "a(sbbsi)", "1 'ConditionPathExists' false true '/etc/ssh/sshd_not_to_be_run' 1" },
        { "Asserts", "a(sbbsi)", "0" },
        { "LoadError", "(ss)", "'' ''" },
        { "Transient", "b", "false" },
        { "Perpetual", "b", "false" },
        { "StartLimitIntervalUSec", "t", "10000000" },
        { "StartLimitBurst", "u", "5" },
        { "StartLimitAction", "s", "'none'" },
        { "FailureAction", "s", "'none'" },
        { "FailureActionExitStatus", "i", "-1" },
        { "SuccessAction", "s", "'none'" },
        { "SuccessActionExitStatus", "i", "-1" },
        { "RebootArgument", "s", "''" },
        { "InvocationID", "ay", "16 91 15 156 46 106 13 78 28 154 123 63 40 209 196 230 169" },
        { "CollectMode", "s", "'inactive'" },
        { "Refs", "as", "0" },
        { "ActivationDetails", "a(ss)", "0" },
};

static int build_getall(WireShape *s) {
        WireValue *array;
        int r;

        s->name = "GetAll reply";
        s->type = BUS_MESSAGE_METHOD_RETURN;
        s->destination = ":1.42";
        s->signature = "a{sv}";
        s->n_entries = ELEMENTSOF(service_properties);
        s->entries_name = "properties";
        s->values = new0(WireValue, 1);
        if (!s->values)
                return -ENOMEM;
        s->n_values = 1;
        array = &s->values[0];
        r = wire_value_init_container(array, 'a', "{sv}", ELEMENTSOF(service_properties));
        if (r < 0)
                return r;
        for (size_t i = 0; i < ELEMENTSOF(service_properties); i++) {
                const PropertyRow *row = &service_properties[i];
                WireValue *entry = &array->items[i], *value = NULL;

                r = wire_value_init_container(entry, '{', "sv", 2);
                if (r >= 0)
                        r = wire_value_init_basic_string(&entry->items[0], 's', row->name);
                if (r >= 0)
                        r = wire_value_init_container(&entry->items[1], 'v', row->signature, 0);
                if (r >= 0)
                        r = wire_value_parse(row->signature, row->value, &value);
                if (r < 0) {
                        fprintf(stderr, "property %s: %s\n", row->name, strerror(-r));
                        return r;
                }
                /* the variant's one child is the parsed value, moved in */
                free(entry->items[1].items);
                entry->items[1].items = value;
                entry->items[1].n_items = 1;
        }
        return 0;
}

/* A unit's object path: systemd's escaping, every byte outside [A-Za-z0-9] (and a leading
 * digit) as _xx. */
static void unit_path(const char *id, char *buf, size_t size) {
        static const char prefix[] = "/org/freedesktop/systemd1/unit/";
        size_t n = strlen(prefix);

        memcpy(buf, prefix, n);
        for (const char *p = id; *p && n + 4 < size; p++) {
                bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                             (*p >= '0' && *p <= '9' && p != id);
                if (plain)
                        buf[n++] = *p;
                else
                        n += snprintf(buf + n, size - n, "_%02x", (unsigned char) *p);
        }
        buf[n] = 0;
}

#define N_UNIT_KINDS 8

/* Name and description of unit i, of kind k: services, sockets, targets, mounts and long
 * device names, as on a real system. */
static void unit_names(size_t k, size_t i, char *id, char *description, size_t size) {
        switch (k) {
        case 0:
                snprintf(id, size, "app-worker-%zu.service", i);
                snprintf(description, size, "Application worker %zu", i);
                break;
        case 1:
                snprintf(id, size, "app-batch-%zu.service", i);
                snprintf(description, size, "Batch job %zu", i);
                break;
        case 2:
                snprintf(id, size, "app-listener-%zu.socket", i);
                snprintf(description, size, "Listener socket %zu", i);
                break;
        case 3:
                snprintf(id, size, "srv-data%zu.mount", i);
                snprintf(description, size, "/srv/data%zu", i);
                break;
        case 4:
                snprintf(id, size, "sys-devices-pci0000:00-0000:00:1f.2-ata%zu-host0-target0:0:0-"
                         "0:0:0:0-block-sda.device", i);
                snprintf(description, size, "SAMSUNG_MZ7LN256HAJQ-000L7 %zu", i);
                break;
        case 5:
                snprintf(id, size, "app-group-%zu.target", i);
                snprintf(description, size, "Application group %zu", i);
                break;
        case 6:
                snprintf(id, size, "app-setup-%zu.service", i);
                snprintf(description, size, "Set up application instance %zu", i);
                break;
        default:
                snprintf(id, size, "app-worker-%zu-tmp.service", i);
                snprintf(description, size, "Temporary worker %zu", i);
        }
}

/* Unit i of the ListUnits reply: most active, some inactive, every 50th with a start job. */
static int listunits_row(size_t i, WireValue *row) {
        static const struct {
                const char *active, *sub;
        } states[N_UNIT_KINDS] = {
                { "active", "running" },   { "inactive", "dead" }, { "active", "listening" },
                { "active", "mounted" },   { "active", "plugged" }, { "active", "active" },
                { "active", "exited" },    { "active", "running" },
        };
        char id[256], description[256], path[768], job_path[64];
        const char *job_type = "";
        uint32_t job_id = 0;
        size_t k = i % N_UNIT_KINDS;
        int r;

        unit_names(k, i, id, description, sizeof(id));
        unit_path(id, path, sizeof(path));
        strcpy(job_path, "/");
        if (i % 50 == 7) {
                job_id = 1000 + (uint32_t) i;
                job_type = "start";
                snprintf(job_path, sizeof(job_path), "/org/freedesktop/systemd1/job/%u", job_id);
        }
        r = wire_value_init_container(row, '(', "ssssssouso", 10);
        if (r >= 0)
                r = wire_value_init_basic_string(&row->items[0], 's', id);
        if (r >= 0)
                r = wire_value_init_basic_string(&row->items[1], 's', description);
        if (r >= 0)
                r = wire_value_init_basic_string(&row->items[2], 's', "loaded");
        if (r >= 0)
                r = wire_value_init_basic_string(&row->items[3], 's', states[k].active);
        if (r >= 0)
                r = wire_value_init_basic_string(&row->items[4], 's', states[k].sub);
        if (r >= 0)
                r = wire_value_init_basic_string(&row->items[5], 's', "");
        if (r >= 0)
                r = wire_value_init_basic_string(&row->items[6], 'o', path);
        if (r >= 0)
                r = wire_value_init_basic_string(&row->items[8], 's', job_type);
        if (r >= 0)
                r = wire_value_init_basic_string(&row->items[9], 'o', job_path);
        row->items[7] = (WireValue) { .type = 'u', .v.u = job_id };
        return r;
}

static int build_listunits(WireShape *s) {
        enum { N_UNITS = 1000 };
        int r;

        s->name = "ListUnits reply";
        s->type = BUS_MESSAGE_METHOD_RETURN;
        s->destination = ":1.42";
        s->signature = "a(ssssssouso)";
        s->n_entries = N_UNITS;
        s->entries_name = "units";
        s->values = new0(WireValue, 1);
        if (!s->values)
                return -ENOMEM;
        s->n_values = 1;
        r = wire_value_init_container(&s->values[0], 'a', "(ssssssouso)", N_UNITS);
        for (size_t i = 0; r >= 0 && i < N_UNITS; i++)
                r = listunits_row(i, &s->values[0].items[i]);
        return r;
}

static int build_jobremoved(WireShape *s) {
        int r;

        s->name = "JobRemoved signal";
        s->type = BUS_MESSAGE_SIGNAL;
        s->path = "/org/freedesktop/systemd1";
        s->interface = "org.freedesktop.systemd1.Manager";
        s->member = "JobRemoved";
        s->signature = "uoss";
        s->n_entries = 4;
        s->entries_name = "values";
        s->values = new0(WireValue, 4);
        if (!s->values)
                return -ENOMEM;
        s->n_values = 4;
        s->values[0] = (WireValue) { .type = 'u', .v.u = 4711 };
        r = wire_value_init_basic_string(&s->values[1], 'o', "/org/freedesktop/systemd1/job/4711");
        if (r >= 0)
                r = wire_value_init_basic_string(&s->values[2], 's', "ssh.service");
        if (r >= 0)
                r = wire_value_init_basic_string(&s->values[3], 's', "done");
        return r;
}

int wire_shape_build(WireShapeKind kind, WireShape *ret) {
        WireShape s = { .kind = kind };
        int r;

        switch (kind) {
        case WIRE_SHAPE_GETALL:
                r = build_getall(&s);
                break;
        case WIRE_SHAPE_LISTUNITS:
                r = build_listunits(&s);
                break;
        case WIRE_SHAPE_JOBREMOVED:
                r = build_jobremoved(&s);
                break;
        default:
                return -EINVAL;
        }
        if (r < 0) {
                wire_shape_done(&s);
                return r;
        }
        *ret = s;
        return 0;
}

void wire_shape_done(WireShape *s) {
        for (size_t i = 0; i < s->n_values; i++)
                wire_value_done(&s->values[i]);
        free(s->values);
        s->values = NULL;
        s->n_values = 0;
}

uint64_t wire_shape_checksum(const WireShape *s) {
        uint64_t h = WIRE_FOLD_SEED;

        for (size_t i = 0; i < s->n_values; i++)
                h = wire_value_checksum(&s->values[i], h);
        return h;
}
