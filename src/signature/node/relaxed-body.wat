;; The SIMD step of src/signature/node/relaxed-body.ts: relaxed body canonicalization's white-space
;; rule (RFC 6376 section 3.4.4), 16 bytes at a time. Assembled by wabt into RELAXED_BODY_WASM_HEX
;; there (test/signature/node/relaxed-body.test.ts checks the bytes against this text).
(module
  (memory (export "memory") 3)
  ;; Copies [p, end) to o with each run of SP/HTAB made one SP, or nothing where the run ends the
  ;; input or stands before CRLF; answers where the copy ends. A byte needs work only if it is HTAB,
  ;; or SP before SP, HTAB or CR: blocks without one are stored whole. The 17 bytes after end must
  ;; be zero (not white space, not LF), and o must not lie within 16 bytes after [p, end).
  (func (export "compact") (param $p i32) (param $end i32) (param $o i32) (result i32)
    (local $v v128) (local $n v128) (local $m i32) (local $c i32)
    (local $sp v128) (local $tab v128) (local $cr v128)
    (local.set $sp (i8x16.splat (i32.const 32)))
    (local.set $tab (i8x16.splat (i32.const 9)))
    (local.set $cr (i8x16.splat (i32.const 13)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load (local.get $p)))
        ;; $n holds each byte's successor.
        (local.set $n (v128.load offset=1 (local.get $p)))
        (v128.store (local.get $o) (local.get $v))
        (local.set $m
          (i8x16.bitmask
            (v128.or
              (i8x16.eq (local.get $v) (local.get $tab))
              (v128.and
                (i8x16.eq (local.get $v) (local.get $sp))
                (v128.or
                  (v128.or (i8x16.eq (local.get $n) (local.get $sp)) (i8x16.eq (local.get $n) (local.get $tab)))
                  (i8x16.eq (local.get $n) (local.get $cr)))))))
        (if (i32.eqz (local.get $m))
          (then
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $o (i32.add (local.get $o) (i32.const 16)))
            (br $next)))
        ;; The bytes before the first that needs work are stored already; it starts a run.
        (local.set $c (i32.ctz (local.get $m)))
        (local.set $p (i32.add (local.get $p) (local.get $c)))
        (local.set $o (i32.add (local.get $o) (local.get $c)))
        (block $run_end
          (loop $run
            (br_if $run_end (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $c (i32.load8_u (local.get $p)))
            (br_if $run_end (i32.and (i32.ne (local.get $c) (i32.const 32)) (i32.ne (local.get $c) (i32.const 9))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $run)))
        ;; One SP, unless the run ends the input or a line (CR then LF, read as one little-endian i16).
        (if (i32.lt_u (local.get $p) (local.get $end))
          (then
            (if (i32.ne (i32.load16_u (local.get $p)) (i32.const 0x0a0d))
              (then
                (i32.store8 (local.get $o) (i32.const 32))
                (local.set $o (i32.add (local.get $o) (i32.const 1)))))))
        (br $next)))
    ;; A last whole block may have gone past end: o went as far.
    (i32.sub (local.get $o) (i32.sub (local.get $p) (local.get $end)))))
