;; The SIMD step of src/signature/node/bare-lf.ts: 64 bytes at a time, an LF whose previous byte is
;; not CR. Assembled by wabt into BARE_LF_WASM_HEX there (test/signature/node/bare-lf.test.ts checks
;; the bytes against this text).
(module
  (memory (export "memory") 2)
  ;; The first 64-byte block in [p, end) holding a bare LF, or the start of the tail (fewer than 64
  ;; bytes left), which the caller checks byte by byte. The byte before p must be in memory.
  (func (export "scan") (param $p i32) (param $end i32) (result i32)
    (local $q i32) (local $lf v128) (local $cr v128)
    (local.set $lf (i8x16.splat (i32.const 10)))
    (local.set $cr (i8x16.splat (i32.const 13)))
    (block $done
      (loop $next
        (br_if $done (i32.gt_u (i32.add (local.get $p) (i32.const 64)) (local.get $end)))
        ;; $q is one byte behind $p: its lanes are each byte's predecessor.
        (local.set $q (i32.sub (local.get $p) (i32.const 1)))
        (br_if $done
          (v128.any_true
            (v128.or
              (v128.or
                (v128.and
                (i8x16.eq (v128.load offset=0 (local.get $p)) (local.get $lf))
                (i8x16.ne (v128.load offset=0 (local.get $q)) (local.get $cr)))
                (v128.and
                (i8x16.eq (v128.load offset=16 (local.get $p)) (local.get $lf))
                (i8x16.ne (v128.load offset=16 (local.get $q)) (local.get $cr))))
              (v128.or
                (v128.and
                (i8x16.eq (v128.load offset=32 (local.get $p)) (local.get $lf))
                (i8x16.ne (v128.load offset=32 (local.get $q)) (local.get $cr)))
                (v128.and
                (i8x16.eq (v128.load offset=48 (local.get $p)) (local.get $lf))
                (i8x16.ne (v128.load offset=48 (local.get $q)) (local.get $cr)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br $next)))
    (local.get $p)))
