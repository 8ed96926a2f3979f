"""Test oracle: runs patterns through the system's real PCRE2 library (libpcre2-8) via ctypes.

Reads {"options": [...], "cases": [{"pattern": str, "subjects": [str]}]} as JSON on stdin and
writes, per case, per option set, a list of booleans (or {"error": message}). Exit code 3 means
PCRE2 is not available here.
"""
import ctypes
import ctypes.util
import json
import sys

OPTIONS = {"UTF": 0x00080000, "UCP": 0x00020000}


def load():
    for name in ("libpcre2-8.so.0", ctypes.util.find_library("pcre2-8")):
        if not name:
            continue
        try:
            return ctypes.CDLL(name)
        except OSError:
            pass
    return None


def main():
    lib = load()
    if lib is None:
        print("libpcre2-8 not found", file=sys.stderr)
        sys.exit(3)
    lib.pcre2_compile_8.restype = ctypes.c_void_p
    lib.pcre2_compile_8.argtypes = [ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint32,
                                    ctypes.POINTER(ctypes.c_int), ctypes.POINTER(ctypes.c_size_t),
                                    ctypes.c_void_p]
    lib.pcre2_code_free_8.argtypes = [ctypes.c_void_p]
    lib.pcre2_match_data_create_8.restype = ctypes.c_void_p
    lib.pcre2_match_data_create_8.argtypes = [ctypes.c_uint32, ctypes.c_void_p]
    lib.pcre2_match_8.restype = ctypes.c_int
    lib.pcre2_match_8.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.c_size_t,
                                  ctypes.c_uint32, ctypes.c_void_p, ctypes.c_void_p]
    lib.pcre2_get_error_message_8.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_size_t]
    request = json.load(sys.stdin)
    option_sets = [sum(OPTIONS[name] for name in names) for names in request["options"]]
    match_data = lib.pcre2_match_data_create_8(1, None)
    results = []
    for case in request["cases"]:
        pattern = case["pattern"].encode("utf-8")
        per_option = []
        for options in option_sets:
            error = ctypes.c_int()
            offset = ctypes.c_size_t()
            code = lib.pcre2_compile_8(pattern, len(pattern), options, ctypes.byref(error),
                                       ctypes.byref(offset), None)
            if not code:
                buffer = ctypes.create_string_buffer(256)
                lib.pcre2_get_error_message_8(error.value, buffer, 256)
                per_option.append({"error": buffer.value.decode() + " at " + str(offset.value)})
                continue
            answers = []
            for subject in case["subjects"]:
                data = subject.encode("utf-8")
                rc = lib.pcre2_match_8(code, data, len(data), 0, 0, match_data, None)
                if rc < -1:
                    answers.append({"error": "match error " + str(rc)})
                else:
                    answers.append(rc >= 0)
            lib.pcre2_code_free_8(code)
            per_option.append(answers)
        results.append(per_option)
    json.dump(results, sys.stdout)


main()
