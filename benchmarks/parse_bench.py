"""Parse speed: median and p95 time to parse a 300-character text, warm, in each language.

    .venv/bin/python benchmarks/parse_bench.py [--repeat 200] [--target-ms 5] [--json]

The texts are stories of the kind people type (onset, location, what helps, what is denied),
cut to exactly 300 characters; each is parsed once to build the pipeline and warm the
caches, then `--repeat` times in turn. Exits 1 when a language's median is above the target.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time

TEXTS = {
    "en": [
        ("Was chasing my toddler round the garden on Sunday and felt a sharp tug at the back of my right thigh. Bruise has come "
        "out since, no swelling in the calf, and it only hurts when I bend to pick things up or go downstairs. Bladder and bowels "
        "normal. Otherwise fit and well, 41, no clots in the family. Should I be resting it or stretching??"),
        ("Nurse here writing for my dad: 72, known PVD, smoker for 40 yrs. Pain in the back of both calves after about 200 yards, "
        "eases if he stands still for a minute. Feet cold at night, pedal pulses hard to find. No chest pain, no breathlessness. "
        "Been going on since March and getting slowly worse. He wonders if it is just his sciatica."),
        ("I'm a distance runner, upped my mileage for a marathon. For the past two months a deep ache sits right under my bum "
        "where I sit, worse on hard chairs and on hill repeats. No pins and needles, doesn't go below the knee. Sleep is fine. "
        "Physio thinks tendinopathy but I wonder if it is a tear? Ice helps a bit, ibuprofen not so much."),
    ],
    "tr": [
        ("Geçen hafta halı sahada topa vururken arka adalemde bir şey koptu sanki, o an yere oturdum. Şimdi uyluğumun arkası "
        "morardı, oturunca ve eğilince ağrıyor. Bacağımda şişlik yok, uyuşma olmadı. İdrar ve dışkıda sorun yok. 34 yaşındayım, "
        "sigara içmiyorum. Buz koyuyorum ama ne zaman koşabilirim, doktora gitmeli miyim?"),
        ("Annem için yazıyorum, 68 yaşında, şeker hastası. Üç aydır belinden kalçasına ve baldırına kadar elektrik çarpar gibi "
        "ağrı iniyor, yürüyünce artıyor, oturunca geçiyor. Ayağı hissiz gibi diyor ama güçsüzlük yok. Gece uyandırmıyor. Kalça "
        "protezi var, iki yıl önce takıldı. Fizik tedavi işe yarar mı acaba, yoksa ameliyat mı gerekir?"),
        ("Iki haftadir sag bacagimin arkasi agriyor, ozellikle uzun sure oturunca. Kosu yapmiyorum, masa basinda calisiyorum. "
        "Cuzdanimi arka cebimde tasiyorum. Baldirimda sislik ve kizariklik yok, nefes darligi yok. Bazen kalcamda karincalanma "
        "oluyor ama gecip gidiyor. Germe egzersizleri biraz iyi geliyor, daha once boyle bir sey olmadi."),
    ],
}
LENGTH = 300


def bench(repeat: int) -> dict[str, dict[str, float]]:
    from thighdx.language import parse

    results: dict[str, dict[str, float]] = {}
    for language, texts in TEXTS.items():
        cut = [text[:LENGTH] for text in texts]
        for text in cut:
            parse(text, language)  # build the pipeline, warm the caches
        times = []
        cpu = []
        for _ in range(repeat):
            for text in cut:
                start, start_cpu = time.perf_counter(), time.process_time()
                parse(text, language)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
        times.sort()
        results[language] = {
            "texts": len(cut),
            "chars": LENGTH,
            "runs": len(times),
            "median_ms": round(statistics.median(times), 3),
            "p95_ms": round(times[int(0.95 * (len(times) - 1))], 3),
            "max_ms": round(times[-1], 3),
            # CPU time of this process: what the parse costs when other work shares the machine
            "cpu_median_ms": round(statistics.median(cpu), 3),
        }
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=200, help="passes over the texts of each language")
    parser.add_argument("--target-ms", type=float, default=5.0, help="the median each language must stay under")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    results = bench(args.repeat)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        for language, row in results.items():
            print(f"{language}: {row['runs']} parses of {row['chars']}-character texts: median {row['median_ms']:.2f} ms, "
                  f"p95 {row['p95_ms']:.2f} ms, max {row['max_ms']:.2f} ms, CPU median {row['cpu_median_ms']:.2f} ms "
                  f"(target median <= {args.target_ms} ms)")
    return 0 if all(row["median_ms"] <= args.target_ms for row in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
