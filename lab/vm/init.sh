#!/bin/sh
# The lab VM's init: PID 1 of the initramfs that lab/vm/initramfs.py builds,
# run by busybox.  The host (lab/vm/direct.py) shares three things over 9p:
# its root (tag "root", mounted read-only), the directories the guest may
# write (tags "rw0", "rw1", ... in the order of ctl/writable) and a control
# folder of its own (tag "labctl") holding
#   settings   shell assignments: ROOT_OPTIONS, WRITABLE_OPTIONS, GUEST_HOSTNAME
#   writable   the host paths of the writable directories, one a line
#   command    the shell line to run, with the host's /bin/sh
#   disks      where to mount the disks QEMU attached (/dev/vda, /dev/vdb, ...
#              in that order), one a line; ext4, their modules from the host's root
# where this init leaves, for the host to read after power-off,
#   status     the command's exit status (absent: the guest died first)
#   timeline   seconds since the kernel started at the end of each phase
#   modules    the family modules that did not load, if any
# Stage 1 runs from the initramfs and switches to the host's root; stage 2
# (this script again, copied to /run/lab) runs the command and powers off.

MARKS=""
mark() {
    read -r up _ </proc/uptime
    MARKS="$MARKS$up $1
"
}

fail() {
    echo "lab-init: $*" >/dev/console
    busybox poweroff -f
}

P9="trans=virtio,version=9p2000.L,msize=524288,access=any"

stage1() {
    export PATH=/bin
    busybox mount -t proc proc /proc
    busybox mount -t sysfs sys /sys
    busybox mount -t devtmpfs dev /dev
    mark "init started"
    while read -r m; do busybox insmod "/modules/$m.ko" || fail "cannot load $m"; done </modules/boot.order
    mark "transport modules loaded"
    busybox mount -t 9p -o "$P9" labctl /ctl || fail "cannot mount the control folder"
    . /ctl/settings
    # The families' modules load while the host's files are mounted: one
    # is CPU work in the guest, the other waits on the host's 9p server.
    (
        while read -r m; do
            busybox insmod "/modules/$m.ko" 2>/dev/null || echo "$m" >>/ctl/modules
        done </modules/family.order
    ) &
    loading=$!
    r=/newroot
    busybox mount -t 9p -o "ro,$P9,$ROOT_OPTIONS" root $r || fail "cannot mount the host's root"
    mark "host root mounted"
    # The host's folders the lab runs from that the tmpfs below would hide
    # (a checkout under /tmp): held by a bind first, shown again after.
    n=0
    while read -r path; do
        busybox mkdir -p "/keep/$n"
        busybox mount --bind "$r$path" "/keep/$n" || fail "cannot keep $path"
        n=$((n + 1))
    done </ctl/visible
    busybox mount -t tmpfs -o mode=0755 run $r/run
    busybox mount -t tmpfs -o mode=1777 tmp $r/tmp
    for d in var/tmp var/log var/cache; do
        [ -d "$r/$d" ] && busybox mount -t tmpfs -o mode=0755 tmpfs "$r/$d"
    done
    busybox chmod 1777 $r/var/tmp
    n=0
    while read -r path; do
        busybox mkdir -p "$r$path"
        busybox mount --bind "/keep/$n" "$r$path" || fail "cannot show $path"
        n=$((n + 1))
    done </ctl/visible
    n=0
    while read -r path; do
        # A folder under /tmp or /run is hidden by the tmpfs: its mount point is made there.
        [ -d "$r$path" ] || busybox mkdir -p "$r$path"
        busybox mount -t 9p -o "$P9,$WRITABLE_OPTIONS" "rw$n" "$r$path" || fail "cannot mount $path writable"
        n=$((n + 1))
    done </ctl/writable
    busybox mkdir -p $r/run/lab/ctl
    busybox cp /bin/busybox /init $r/run/lab/
    mark "file systems mounted"
    wait $loading
    mark "family modules loaded"
    printf %s "$MARKS" >>/ctl/timeline
    busybox mount --move /ctl $r/run/lab/ctl
    busybox mount --move /dev $r/dev
    busybox mount --move /proc $r/proc
    busybox mount --move /sys $r/sys
    exec busybox switch_root $r /run/lab/busybox sh /run/lab/init stage2
}

mount_disks() {
    [ -s $ctl/disks ] || return 0
    modprobe -a virtio_blk ext4 || { echo "lab-init: cannot load the disks' modules" >/dev/hvc0; return 0; }
    set -- a b c d e f g h
    while read -r point; do
        dev=/dev/vd$1
        shift
        tries=0
        while [ ! -b $dev ] && [ $tries -lt 50 ]; do $bb sleep 0.1; tries=$((tries + 1)); done
        $bb mkdir -p "$point"
        $bb mount -t ext4 -o noatime $dev "$point" || echo "lab-init: cannot mount $dev on $point" >/dev/hvc0
    done <$ctl/disks
    mark "disks mounted"
}

stage2() {
    bb=/run/lab/busybox
    ctl=/run/lab/ctl
    . $ctl/settings
    $bb mkdir -p /dev/pts /dev/shm
    $bb mount -t devpts -o nosuid,noexec devpts /dev/pts
    $bb mount -t tmpfs -o nosuid,nodev shm /dev/shm
    $bb mount -t cgroup2 cgroup2 /sys/fs/cgroup
    $bb mount -t configfs configfs /sys/kernel/config 2>/dev/null
    $bb mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
    $bb mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
    $bb hostname "$GUEST_HOSTNAME"
    $bb ip link set lo up
    export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root TERM=dumb
    mount_disks
    mark "command starts"
    printf %s "$MARKS" >>$ctl/timeline
    MARKS=""
    cd /
    /bin/sh $ctl/command </dev/null >/dev/hvc0 2>&1
    status=$?
    $bb sync  # what the command wrote through mmap reaches the host too
    mark "command ended"
    printf %s "$MARKS" >>$ctl/timeline
    echo "$status" >$ctl/status
    $bb dmesg >$ctl/dmesg
    $bb poweroff -f
}

if [ "$1" = stage2 ]; then stage2; else stage1; fi
fail "init ended"
