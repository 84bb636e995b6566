"""Items that are papers: journal, preprint and PubMed feeds, read through the
feed reader from real files (tests/data/scholarly, see its SOURCES.md)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.bibliographic import article_from_entry, normalize_issn, to_date
from kg.feeds import read_feed
from kg.types import RawEntry, RawFeed

from .conftest import DATA

SCHOLARLY = DATA / "scholarly"
_FEEDS: dict[str, RawFeed] = {}


def feed(name: str) -> RawFeed:
    if name not in _FEEDS:
        _FEEDS[name] = read_feed(str(SCHOLARLY / name))
    return _FEEDS[name]


def article(name: str, index: int):
    raw = feed(name)
    return article_from_entry(raw.entries[index], raw)


#: (file, item index, expected facts).  "families" are the first six family
#: names in order; "n_authors" the length of the whole list.
CASES = [
    (
        "arxiv_api_id-1707.08567_34-authors.atom.xml",
        0,
        {
            "doi": "10.48550/arXiv.1707.08567",
            "title": (
                "Proceedings of Workshop AEW10: Concepts in Information Theory and Communications"
            ),
            "families": ["Immink", "Baggen", "Chaabane", "Chen", "de With", "Gassara"],
            "n_authors": 34,
            "year": 2017,
            "published": date(2017, 7, 27),
            "arxiv_id": "1707.08567",
        },
    ),
    (
        "arxiv_api_id-astro-ph-0601001.atom.xml",
        0,
        {
            "doi": "10.48550/arXiv.astro-ph/0601001",
            "title": (
                "Frequency of Hot Jupiters and Very Hot Jupiters from the OGLE-III "
                "Transit Surveys Toward the Galactic Bulge and Carina"
            ),
            "families": ["Gould", "Dorsher", "Gaudi", "Udalski"],
            "n_authors": 4,
            "journal": "ActaAstron.",
            "volume": "56",
            "pages": ("1", "50"),
            "year": 2006,
            "published": date(2006, 1, 2),
            "arxiv_id": "astro-ph/0601001",
            "citation": "ActaAstron.56:1-50,2006",
        },
    ),
    (
        "arxiv_api_query-testing_100.atom.xml",
        0,
        {
            "doi": "10.1109/ICSTW55395.2022.00035",
            "title": (
                "Testing Deep Learning Models: A First Comparative Study of Multiple "
                "Testing Techniques"
            ),
            "families": ["Ahuja", "Gotlieb", "Spieker"],
            "n_authors": 3,
            "year": 2022,
            "published": date(2022, 2, 24),
            "arxiv_id": "2202.12139",
            "citation": (
                "Artificial Intelligence in Software Testing @ 2022 IEEE International "
                "Conference on Software Testing, Verification and Validation Workshops "
                "(ICSTW)"
            ),
        },
    ),
    (
        "arxiv_api_query-testing_100.atom.xml",
        88,
        {
            "doi": "10.1016/j.physletb.2003.08.045",
            "title": "Statistical Test of Anarchy",
            "families": ["de Gouvea", "Murayama"],
            "n_authors": 2,
            "journal": "Phys.Lett.B",
            "volume": "573",
            "pages": ("94", "100"),
            "year": 2003,
            "published": date(2003, 1, 8),
            "arxiv_id": "hep-ph/0301050",
            "citation": "Phys.Lett.B573:94-100,2003",
        },
    ),
    (
        "arxiv_api_query-testing_100.atom.xml",
        5,
        {
            "doi": "10.48550/arXiv.1202.4527",
            "title": "Study Paper on Test Case generation for GUI Based Testing",
            "families": ["Isabella", "Retna"],
            "n_authors": 2,
            "journal": "International Journal of Software Engineering & Applications (IJSEA)",
            "volume": "3",
            "issue": "1",
            "year": 2012,
            "published": date(2012, 2, 21),
            "arxiv_id": "1202.4527",
            "citation": (
                "International Journal of Software Engineering & Applications (IJSEA), "
                "Vol.3, No.1, January 2012"
            ),
        },
    ),
    (
        "atypon-schema_synthetic_zotero.rdf.xml",
        0,
        {
            "doi": "10.1000/182",
            "title": "Title 1",
            "families": ["Rohtua", "Auth", "Autho"],
            "n_authors": 3,
            "journal": "Publication",
            "year": 2016,
            "published": date(2016, 1, 7),
        },
    ),
    (
        "atypon-schema_synthetic_zotero.rdf.xml",
        2,
        {
            "doi": "10.1000/182",
            "title": "Title 3",
            "families": ["Rohtua", "Auth", "Autho"],
            "n_authors": 3,
            "journal": "Publication",
            "year": 2016,
            "published": date(2016, 1, 7),
        },
    ),
    (
        "atypon_ajph_rss1_prefixed.rdf.xml",
        0,
        {
            "doi": "10.2105/AJPH.2014.302274",
            "title": (
                "Effect of Systems Change and Use of Electronic Health Records on Quit "
                "Rates Among Tobacco Users in a Public Hospital System"
            ),
            "families": ["Moody-Thomas", "Nasuti", "Yi", "Celestin", "Horswell", "Land"],
            "n_authors": 6,
            "journal": "American Journal of Public Health",
            "journal_title": "American Journal of Public Health",
            "volume": "105",
            "issue": "S2",
            "pages": ("e1", "e7"),
            "year": 2015,
            "published": date(2015, 4, 1),
            "citation": (
                "American Journal of Public Health, Volume 105, Issue S2, Page e1-e7, April 2015."
            ),
        },
    ),
    (
        "atypon_ajph_rss1_prefixed.rdf.xml",
        1,
        {
            "doi": "10.2105/AJPH.2014.302272",
            "title": (
                "Cervical Cancer Screening in a Sexually Transmitted Disease Clinic: "
                "Screening Adoption Experiences From a Midwestern Clinic"
            ),
            "families": ["Meyerson", "Sayegh", "Davis", "Arno", "Zimet", "LeMonte"],
            "n_authors": 9,
            "journal": "American Journal of Public Health",
            "journal_title": "American Journal of Public Health",
            "volume": "105",
            "issue": "S2",
            "pages": ("e8", "e14"),
            "year": 2015,
            "published": date(2015, 4, 1),
            "citation": (
                "American Journal of Public Health, Volume 105, Issue S2, Page e8-e14, April 2015."
            ),
        },
    ),
    (
        "biorxiv_genomics_trimmed.rdf.xml",
        0,
        {
            "doi": "10.1101/2023.12.16.571984",
            "title": (
                "Complete genome of the Medicago anthracnose fungus, Colletotrichum "
                "destructivum, reveals a mini-chromosome-like region within a core "
                "chromosome."
            ),
            "families": ["LAPALU", "SIMON", "Lu", "Plaumann", "Amselem", "Pigne"],
            "n_authors": 10,
            "journal": "bioRxiv",
            "year": 2023,
            "published": date(2023, 12, 16),
        },
    ),
    (
        "biorxiv_plant-biology.rdf",
        0,
        {
            "doi": "10.1101/743294",
            "title": (
                "Wheat inositol pyrophosphate kinase (TaVIH2-3B) interacts with "
                "Fasciclin-like arabinogalactan (FLA6) protein and alters the plant "
                "cell-wall composition"
            ),
            "families": ["Kaur", "Shukla", "Kanwar", "Shukla", "Kaur", "Sharma"],
            "n_authors": 13,
            "journal": "bioRxiv",
            "year": 2019,
            "published": date(2019, 8, 27),
        },
    ),
    (
        "biorxiv_plant-biology.rdf",
        1,
        {
            "doi": "10.1101/746628",
            "title": (
                "Natural variation in the Arabidopsis AGO2 gene is associated with "
                "susceptibility to potato virus X"
            ),
            "families": [
                "Brosseau",
                "Adurogbangba",
                "Roussin-Leveillee",
                "Zhao",
                "Biga",
                "Moffett",
            ],
            "n_authors": 6,
            "journal": "bioRxiv",
            "year": 2019,
            "published": date(2019, 8, 24),
        },
    ),
    (
        "cambridge_canadian-entomologist.rdf.xml",
        0,
        {
            "doi": "10.4039/tce.2021.38",
            "title": (
                "Detection of food in immature and adult stages of water scavenger "
                "beetle, Hydrophilus acuminatus (Coleoptera: Hydrophilidae)"
            ),
            "families": ["Inoda"],
            "n_authors": 1,
            "journal": "The Canadian Entomologist",
            "journal_title": "The Canadian entomologist",
            "pages": ("651", "665"),
            "year": 2021,
            "published": date(2021, 8, 11),
            "issns": ("0008-347X", "1918-3240"),
        },
    ),
    (
        "cambridge_canadian-entomologist.rdf.xml",
        1,
        {
            "doi": "10.4039/tce.2021.39",
            "title": (
                "Associative learning and memory through metamorphosis in Grapholita "
                "molesta (Busck) (Lepidoptera: Tortricidae)"
            ),
            "families": ["Sant’Ana", "Tognon", "Pires", "Gregório"],
            "n_authors": 4,
            "journal": "The Canadian Entomologist",
            "journal_title": "The Canadian entomologist",
            "pages": ("666", "671"),
            "year": 2021,
            "published": date(2021, 8, 18),
            "issns": ("0008-347X", "1918-3240"),
        },
    ),
    (
        "cnki_asian-herpetological-research.rss.xml",
        0,
        {
            "title": (
                "Disordered Translocation is Hastening Local Extinction of the Chinese "
                "Giant Salamander"
            ),
            "families": ["SHU", "LIU", "ZHAO", "LI", "HOU", "ZHAO"],
            "n_authors": 11,
            "journal": "Asian Herpetological Research",
            "year": 2021,
            "published": date(2021, 9, 24),
        },
    ),
    (
        "cnki_asian-herpetological-research.rss.xml",
        17,
        {
            "title": (
                "Higher Body Temperatures and Earlier Parturition in Response to Hypoxia "
                "Experienced by Pregnant Lizards"
            ),
            "families": ["JIANG", "Ma", "Tao", "Han"],
            "n_authors": 4,
            "journal": "Asian Herpetological Research",
            "year": 2021,
            "published": date(2021, 6, 24),
        },
    ),
    (
        "ingenta_systematic-botany.rdf.xml",
        0,
        {
            "title": (
                "Taxonomy and Relationships Within Polemonium foliosissimum "
                "(Polemoniaceae): Untangling a Clade of Colorful and Gynodioecious Herbs"
            ),
            "families": ["Rose"],
            "n_authors": 1,
            "journal": "SYSTEMATIC BOTANY",
            "journal_title": "Systematic Botany",
            "volume": "46",
            "issue": "3",
            "pages": ("519", "537"),
            "year": 2021,
            "issns": ("0363-6445",),
        },
    ),
    (
        "ingenta_systematic-botany.rdf.xml",
        1,
        {
            "title": (
                "Phylogenomics in the Hard Pines (Pinus subsection Ponderosae; Pinaceae) "
                "Confirms Paraphyly in Pinus ponderosa, and Places Pinus jeffreyi with "
                "the California Big Cone Pines"
            ),
            "families": ["Willyard", "Gernandt", "Cooper", "Douglas", "Finch", "Karemera"],
            "n_authors": 12,
            "journal": "SYSTEMATIC BOTANY",
            "journal_title": "Systematic Botany",
            "volume": "46",
            "issue": "3",
            "pages": ("538", "561"),
            "year": 2021,
            "issns": ("0363-6445",),
        },
    ),
    (
        "mdpi_fluids_one-item.rdf.xml",
        0,
        {
            "doi": "10.3390/fluids9060120",
            "title": "Environmental Hydraulics, Turbulence, and Sediment Transport, Second Edition",
            "families": ["Pu", "Pandey", "Hanmaiahgari"],
            "n_authors": 3,
            "journal": "Fluids",
            "volume": "9",
            "issue": "6",
            "pages": ("120", None),
            "year": 2024,
            "published": date(2024, 5, 22),
        },
    ),
    (
        "microbiology-society_ijsem.rss.xml",
        0,
        {
            "doi": "10.1099/ijsem.0.005019",
            "title": (
                "Mycolicibacterium baixiangningiae sp. nov. and Mycolicibacterium "
                "mengxianglii sp. nov., two new rapidly growing mycobacterial species"
            ),
            "families": ["Cheng", "Lei", "Wang", "Tian", "Liu", "Yang"],
            "n_authors": 17,
            "journal": "International Journal of Systematic and Evolutionary Microbiology",
            "journal_title": "International Journal of Systematic and Evolutionary Microbiology",
            "year": 2021,
            "published": date(2021, 12, 20),
        },
    ),
    (
        "microbiology-society_ijsem.rss.xml",
        1,
        {
            "doi": "10.1099/ijsem.0.005100",
            "title": "Parvimonas parva sp. nov., derived from a human genito-urinary lesion",
            "families": ["Jansson", "Hering", "Buhl"],
            "n_authors": 3,
            "journal": "International Journal of Systematic and Evolutionary Microbiology",
            "journal_title": "International Journal of Systematic and Evolutionary Microbiology",
            "year": 2021,
            "published": date(2021, 12, 20),
        },
    ),
    (
        "ojs_contributions-to-entomology.atom.xml",
        0,
        {
            "title": (
                "The Cephennium fauna of Turkey and the Middle East (Coleoptera: "
                "Staphylinidae: Scydmaeninae)"
            ),
            "families": ["Assing", "Meybohm"],
            "n_authors": 2,
            "year": 2021,
            "published": date(2021, 6, 30),
        },
    ),
    (
        "ojs_contributions-to-entomology.atom.xml",
        1,
        {
            "title": (
                "The Neotropical species of the genus Lithocharodes Sharp, 1876 "
                "(Coleoptera: Staphylinidae: Staphylininae: Xantholinini)"
            ),
            "families": ["Irmler"],
            "n_authors": 1,
            "year": 2021,
            "published": date(2021, 6, 30),
        },
    ),
    (
        "ojs_threatened-taxa.rdf.xml",
        0,
        {
            "doi": "10.11609/jott.6679.13.13.20066-20071",
            "title": (
                "Successful rescue, medical management, rehabilitation, and translocation"
                " of a Red Panda Ailurus fulgens (Mammalia: Carnivora: Ailuridae) in "
                "Arunachal Pradesh, India"
            ),
            "families": ["Ahmed", "Tadap", "Tasser", "Rinya", "Ahmed", "Kyarong"],
            "n_authors": 6,
            "journal": "Journal of Threatened Taxa",
            "volume": "13",
            "issue": "13",
            "pages": ("20066", "20071"),
            "year": 2021,
            "published": date(2021, 11, 27),
            "issns": ("0974-7893",),
        },
    ),
    (
        "ojs_threatened-taxa.rdf.xml",
        1,
        {
            "doi": "10.11609/jott.6937.13.13.20072-20077",
            "title": (
                "A rare photographic record of Eurasian Otter Lutra lutra with a note on "
                "its habitat from the Bhagirathi Basin, western Himalaya, India"
            ),
            "families": ["Pal", "Sharma", "Dubey", "Bhattacharya", "Johnson", "Sivakumar"],
            "n_authors": 7,
            "journal": "Journal of Threatened Taxa",
            "volume": "13",
            "issue": "13",
            "pages": ("20072", "20077"),
            "year": 2021,
            "published": date(2021, 11, 27),
            "issns": ("0974-7893",),
        },
    ),
    (
        "ojs_zootaxa_rss1_prism12.rdf.xml",
        0,
        {
            "doi": "10.11646/zootaxa.5082.5.1",
            "title": (
                "Description of Nola estonica sp. nov., with comparison to N. aerugula "
                "and N. atomosa stat. rev. (Lepidoptera, Nolidae, Nolinae)"
            ),
            "families": ["Õunap", "Choi", "Matov", "Tammaru"],
            "n_authors": 4,
            "journal": "Zootaxa",
            "volume": "5082",
            "issue": "5",
            "pages": ("401", "424"),
            "year": 2021,
            "published": date(2021, 12, 21),
            "issns": ("1175-5326",),
        },
    ),
    (
        "ojs_zootaxa_rss1_prism12.rdf.xml",
        1,
        {
            "doi": "10.11646/zootaxa.5082.5.2",
            "title": (
                "New records of water mites (Acari, Hydrachnidia) from Iran with the "
                "description of one new species based on morphology and DNA barcodes"
            ),
            "families": ["Pešić", "Zawal", "Saboori", "Smit"],
            "n_authors": 4,
            "journal": "Zootaxa",
            "volume": "5082",
            "issue": "5",
            "pages": ("425", "440"),
            "year": 2021,
            "published": date(2021, 12, 21),
            "issns": ("1175-5326",),
        },
    ),
    (
        "oup_zool-j-linn-soc_silverchair.rss.xml",
        0,
        {
            "doi": "10.1093/zoolinnean/zlab078",
            "title": (
                "Macroecology of Southern Ocean benthic Ostracoda (Crustacea) from the "
                "continental margin and abyss"
            ),
            "families": ["Brandão", "Saeedi", "Brandt"],
            "n_authors": 3,
            "journal": "Zoological Journal of the Linnean Society",
            "journal_title": "Zoological Journal of the Linnean Society",
            "volume": "194",
            "issue": "1",
            "pages": ("226", "255"),
            "year": 2021,
            "published": date(2021, 10, 28),
        },
    ),
    (
        "oup_zool-j-linn-soc_silverchair.rss.xml",
        1,
        {
            "doi": "10.1093/zoolinnean/zlab081",
            "title": (
                "Neolepetopsid true limpets (Gastropoda: Patellogastropoda) from Indian "
                "Ocean hot vents shed light on relationships among genera"
            ),
            "families": ["Chen", "Zhou", "Watanabe"],
            "n_authors": 3,
            "truncated": True,
            "journal": "Zoological Journal of the Linnean Society",
            "journal_title": "Zoological Journal of the Linnean Society",
            "volume": "194",
            "issue": "1",
            "pages": ("276", "296"),
            "year": 2021,
            "published": date(2021, 10, 22),
        },
    ),
    (
        "pensoft_zookeys_rss091.xml",
        0,
        {
            "doi": "10.3897/zookeys.1078.47616",
            "title": (
                "Checklist and keys to Deltocephalinae leafhoppers (Hemiptera, "
                "Cicadellidae) from Pakistan"
            ),
            "families": ["Naveed", "Shah", "Khan", "Cao", "Webb", "Zhang"],
            "n_authors": 6,
            "journal": "ZooKeys",
            "volume": "1078",
            "pages": ("135", "188"),
            "year": 2021,
            "published": date(2021, 12, 21),
            "citation": "ZooKeys 1078: 135-188",
        },
    ),
    (
        "pensoft_zookeys_rss091.xml",
        1,
        {
            "doi": "10.3897/zookeys.1078.64116",
            "title": (
                "Incongruent molecular and morphological variation in the crab spider "
                "Synema globosum (Araneae, Thomisidae) in Europe"
            ),
            "families": ["Urfer", "Spasojevic", "Klopfstein", "Baur", "Lasut", "Kropf"],
            "n_authors": 6,
            "journal": "ZooKeys",
            "volume": "1078",
            "pages": ("107", "134"),
            "year": 2021,
            "published": date(2021, 12, 17),
            "citation": "ZooKeys 1078: 107-134",
        },
    ),
    (
        "pubmed_search.rss.xml",
        0,
        {
            "doi": "10.1016/j.parint.2021.102531",
            "title": (
                "Description of Gyrodactylus banmae n. sp. (Monogenea, Gyrodactylidae) "
                "parasitic on zebrafish, Danio rerio"
            ),
            "families": ["Jin", "Li", "Cheng", "Li", "Wu", "Zou"],
            "n_authors": 7,
            "journal": "Parasitology international",
            "journal_title": "Parasitology International",
            "article_number": "102531",
            "year": 2021,
            "published": date(2021, 12, 20),
            "pmid": "34929406",
            "citation": (
                "Parasitol Int. 2021 Dec 17:102531. doi: 10.1016/j.parint.2021.102531. "
                "Online ahead of print."
            ),
        },
    ),
    (
        "pubmed_search.rss.xml",
        1,
        {
            "doi": "10.1007/s00203-021-02621-y",
            "title": (
                "Propioniciclava soli sp. nov., isolated from forest soil, Yunnan, China,"
                " and reclassification of the genus Brevilactibacter into the genus "
                "Propioniciclava, and Brevilactibacter sinopodophylli, Brevilactibacter "
                "flavus, and Brevilactibacter coleopterorum as Propioniciclava "
                "sinopodophylli comb. nov., Propioniciclava flava comb. nov., and "
                "Propioniciclava coleopterorum comb. nov., respectively"
            ),
            "families": ["Li", "Zhao", "Geng", "Zhou", "Yuan", "Cai"],
            "n_authors": 9,
            "journal": "Archives of microbiology",
            "journal_title": "Archives of Microbiology",
            "volume": "204",
            "issue": "1",
            "article_number": "39",
            "year": 2021,
            "published": date(2021, 12, 20),
            "pmid": "34928401",
            "citation": "Arch Microbiol. 2021 Dec 20;204(1):39. doi: 10.1007/s00203-021-02621-y.",
        },
    ),
    (
        "schweizerbart_nova-hedwigia.rss.xml",
        0,
        {
            "title": (
                "On the genus Alisphaera (Alisphaeraceae, Haptophyta) including a new "
                "species A. Memoria sp. nov. in the South China Sea"
            ),
            "families": ["Doan-Nhu", "Nguyen-Ngoc"],
            "n_authors": 2,
            "journal": "Nova Hedwigia",
            "pages": ("281", "290"),
            "year": 2021,
            "citation": "Nova Hedwigia, (2021), p. 281 - 290",
        },
    ),
    (
        "schweizerbart_nova-hedwigia.rss.xml",
        1,
        {
            "title": (
                "Mallomonas siderea sp. nov. (Synurales, Chrysophyceae), a new tropical "
                "species from the section Torquatae"
            ),
            "families": ["Gusev", "Kulikovskiy"],
            "n_authors": 2,
            "journal": "Nova Hedwigia",
            "pages": ("291", "301"),
            "year": 2021,
            "citation": "Nova Hedwigia, (2021), p. 291 - 301",
        },
    ),
    (
        "science-aaas_current_cdata_excerpt.rdf.xml",
        0,
        {
            "doi": "10.1126/science.abj4606",
            "title": '"The Descent of Man," 150 years on',
            "families": ["Fuentes"],
            "n_authors": 1,
            "journal": "Science",
            "volume": "372",
            "issue": "6544",
            "pages": ("769", None),
            "year": 2021,
            "published": date(2021, 5, 21),
            "issns": ("0036-8075", "1095-9203"),
        },
    ),
    (
        "science-aaas_current_cdata_excerpt.rdf.xml",
        1,
        {
            "doi": "10.1126/science.372.6544.770",
            "title": "News at a glance",
            "journal": "Science",
            "volume": "372",
            "issue": "6544",
            "pages": ("770", "772"),
            "year": 2021,
            "published": date(2021, 5, 21),
            "issns": ("0036-8075", "1095-9203"),
            "keywords": ("Scientific Community",),
        },
    ),
    (
        "science-aaas_twis.rdf.xml",
        0,
        {
            "doi": "10.1126/science.356.6343.1134-a",
            "title": "Food for fungi",
            "families": ["Hines"],
            "n_authors": 1,
            "journal": "Science",
            "volume": "356",
            "issue": "6343",
            "pages": ("1134", None),
            "year": 2017,
            "published": date(2017, 6, 16),
            "issns": ("0036-8075", "1095-9203"),
            "keywords": ("Botany", "Microbiology"),
        },
    ),
    (
        "science-aaas_twis.rdf.xml",
        1,
        {
            "doi": "10.1126/science.356.6343.1134-b",
            "title": "Go with the flow in drug manufacturing",
            "families": ["Yeston"],
            "n_authors": 1,
            "journal": "Science",
            "volume": "356",
            "issue": "6343",
            "pages": ("1134", None),
            "year": 2017,
            "published": date(2017, 6, 16),
            "issns": ("0036-8075", "1095-9203"),
            "keywords": ("Chemistry", "Engineering"),
        },
    ),
    (
        "sciencedirect_mol-phylogenet-evol.rss.xml",
        0,
        {
            "title": (
                "Propagating clade and model uncertainty to confidence intervals of "
                "divergence times and branch lengths"
            ),
            "families": ["Bickel"],
            "n_authors": 1,
            "journal": "Molecular Phylogenetics and Evolution",
            "journal_title": "Molecular Phylogenetics and Evolution",
            "volume": "167",
            "year": 2022,
            "citation": "Molecular Phylogenetics and Evolution, Volume 167",
        },
    ),
    (
        "sciencedirect_mol-phylogenet-evol.rss.xml",
        1,
        {
            "title": (
                "Diversity and phylogenetic relationships of haemosporidian and "
                "hemogregarine parasites in Australian lizards"
            ),
            "families": ["Boysen", "Perkins", "Hunjan", "Oliver", "Gardner", "Balasubramaniam"],
            "n_authors": 7,
            "journal": "Molecular Phylogenetics and Evolution",
            "journal_title": "Molecular Phylogenetics and Evolution",
            "volume": "167",
            "year": 2022,
            "citation": "Molecular Phylogenetics and Evolution, Volume 167",
        },
    ),
    (
        "tandf_zoology-middle-east.rdf.xml",
        0,
        {
            "doi": "10.1080/09397140.2021.1992835",
            "title": (
                "Taxonomic status of Dahl’s Jird, Meriones dahli, as inferred from "
                "cytochrome b and IRBP gene sequences (Mammalia: Rodentia)"
            ),
            "families": ["Bulut", "Karacan"],
            "n_authors": 2,
            "journal": "Zoology in the Middle East",
            "journal_title": "Zoology in the Middle East",
            "volume": "67",
            "issue": "4",
            "pages": ("283", "289"),
            "year": 2021,
            "published": date(2021, 10, 2),
            "citation": "Volume 67, Issue 4, December 2021, Page 283-289",
        },
    ),
    (
        "tandf_zoology-middle-east.rdf.xml",
        1,
        {
            "doi": "10.1080/09397140.2021.1992837",
            "title": (
                "Habitat use and seasonal activity of bats on a large eastern "
                "Mediterranean island: Insights from acoustic surveys (Mammalia: "
                "Chiroptera)"
            ),
            "families": ["Uhrin", "Satterfield", "Kaňuch", "Benda"],
            "n_authors": 4,
            "journal": "Zoology in the Middle East",
            "journal_title": "Zoology in the Middle East",
            "volume": "67",
            "issue": "4",
            "pages": ("290", "301"),
            "year": 2021,
            "published": date(2021, 10, 2),
            "citation": "Volume 67, Issue 4, December 2021, Page 290-301",
        },
    ),
    (
        "wiley_taxon_toc.rss.xml",
        0,
        {
            "doi": "10.1002/tax.12650",
            "title": (
                "Phylogenomic analysis confirms polyphyly of Leptospermum and delineates "
                "five major clades that warrant generic recognition"
            ),
            "families": ["Binks", "Heslewood", "Wilson", "Byrne"],
            "n_authors": 4,
            "journal": "TAXON",
            "journal_title": "Taxon",
            "year": 2021,
            "published": date(2021, 9, 12),
        },
    ),
    (
        "wiley_taxon_toc.rss.xml",
        16,
        {
            "doi": "10.1002/tax.12646",
            "title": "Typifications appearing in Taxon 70 (6)",
            "journal": "TAXON",
            "journal_title": "Taxon",
            "volume": "70",
            "issue": "6",
            "pages": ("1414", None),
            "year": 2021,
            "published": date(2021, 12, 1),
            "citation": "TAXON, Volume 70, Issue 6, Page 1414-1414, December 2021.",
        },
    ),
]


@pytest.mark.parametrize(("name", "index", "expected"), CASES)
def test_expected_facts(name, index, expected):
    paper = article(name, index)
    assert paper is not None
    assert paper.origin == "item"
    got = {
        "doi": paper.doi,
        "title": paper.title,
        "families": [a.family for a in paper.authors][:6],
        "n_authors": len(paper.authors),
        "truncated": paper.truncated,
        "journal": paper.journal,
        "journal_title": paper.journal_title,
        "volume": paper.volume,
        "issue": paper.issue,
        "pages": paper.pages,
        "article_number": paper.article_number,
        "year": paper.year,
        "published": paper.published,
        "issns": paper.issns,
        "pmid": paper.pmid,
        "arxiv_id": paper.arxiv_id,
        "citation": paper.citation,
        "keywords": paper.keywords,
    }
    empty = {"truncated": False, "issns": (), "keywords": (), "families": [], "n_authors": 0}
    for key, value in got.items():
        assert value == expected.get(key, empty.get(key)), key


#: file: (items, items that are papers, papers with a DOI)
COUNTS = {
    "arxiv_api_id-1707.08567_34-authors.atom.xml": (1, 1, 1),
    "arxiv_api_id-astro-ph-0601001.atom.xml": (1, 1, 1),
    "arxiv_api_query-testing_100.atom.xml": (100, 100, 100),
    "arxiv-rss_written-for-tests.rss.xml": (2, 2, 2),
    "atypon-schema_synthetic_zotero.rdf.xml": (3, 3, 3),
    "atypon_ajph_rss1_prefixed.rdf.xml": (20, 20, 20),
    "biorxiv_genomics_trimmed.rdf.xml": (1, 1, 1),
    "biorxiv_plant-biology.rdf": (30, 30, 30),
    "cambridge_canadian-entomologist.rdf.xml": (15, 15, 15),
    "cnki_asian-herpetological-research.rss.xml": (20, 20, 0),
    "ingenta_systematic-botany.rdf.xml": (29, 29, 0),
    "mdpi_fluids_one-item.rdf.xml": (1, 1, 1),
    "microbiology-society_ijsem.rss.xml": (25, 25, 25),
    "ojs_contributions-to-entomology.atom.xml": (9, 9, 0),
    "ojs_threatened-taxa.rdf.xml": (27, 27, 27),
    "ojs_zootaxa_rss1_prism12.rdf.xml": (8, 8, 8),
    "oup_zool-j-linn-soc_silverchair.rss.xml": (14, 14, 14),
    "pensoft_zookeys_rss091.xml": (100, 100, 100),
    "pubmed_search.rss.xml": (15, 15, 15),
    "schweizerbart_nova-hedwigia.rss.xml": (10, 10, 0),
    "science-aaas_current_cdata_excerpt.rdf.xml": (2, 2, 2),
    "science-aaas_twis.rdf.xml": (69, 69, 69),
    "sciencedirect_mol-phylogenet-evol.rss.xml": (51, 51, 0),
    "tandf_zoology-middle-east.rdf.xml": (13, 13, 13),
    "wiley_taxon_toc.rss.xml": (66, 66, 66),
    "worms_taxon-additions.rss.xml": (50, 0, 0),
    "zoobank_registrations.rss.xml": (168, 0, 0),
}


@pytest.mark.parametrize(("name", "expected"), COUNTS.items())
def test_papers_and_dois_per_file(name, expected):
    raw = feed(name)
    papers = [p for e in raw.entries if (p := article_from_entry(e, raw)) is not None]
    assert (len(raw.entries), len(papers), sum(1 for p in papers if p.doi)) == expected


def test_every_corpus_file_is_counted():
    assert sorted(COUNTS) == sorted(p.name for p in SCHOLARLY.iterdir() if p.name != "SOURCES.md")


# --- publisher bugs ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "journal"),
    [
        ("tandf_zoology-middle-east.rdf.xml", "Zoology in the Middle East"),
        ("atypon_ajph_rss1_prefixed.rdf.xml", "American Journal of Public Health"),
    ],
)
def test_article_title_in_prism_publication_name_is_not_the_journal(name, journal):
    """Taylor & Francis (and this Atypon feed) write the article title into
    prism:publicationName; the journal is in dc:source."""
    raw = feed(name)
    for entry in raw.entries:
        assert entry.meta_values("prism:publicationName") == entry.meta_values("dc:title")
        paper = article_from_entry(entry, raw)
        assert paper is not None
        assert paper.journal == journal
        assert paper.title == entry.meta_values("dc:title")[0]


def test_oup_invalid_prism_namespace_still_gives_the_facts():
    """OUP declares xmlns:prism="prism" (not a namespace URI); the reader maps it."""
    assert (
        b'xmlns:prism="prism"'
        in (SCHOLARLY / "oup_zool-j-linn-soc_silverchair.rss.xml").read_bytes()
    )
    paper = article("oup_zool-j-linn-soc_silverchair.rss.xml", 2)
    assert (paper.doi, paper.volume, paper.issue, paper.pages) == (
        "10.1093/zoolinnean/zlab068",
        "194",
        "1",
        ("323", "347"),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2016-01-07-08:00", date(2016, 1, 7)),  # Atypon schema test feed: date plus zone
        ("May 21 2021 12:00:00:000AM", date(2021, 5, 21)),  # Science coverDisplayDate
        ("Wed, 01 Apr 2015 07:00:00 GMT", date(2015, 4, 1)),
        ("Sun, 12 Sep 2021 23:07:48 -0700", date(2021, 9, 12)),  # the day as written
        ("2021-10-02T07:00:00Z", date(2021, 10, 2)),
        ("2021 Dec 17", date(2021, 12, 17)),  # PubMed
        ("17 December 2021", date(2021, 12, 17)),
        ("February 2022", None),  # no day: only the year is known
        ("2021-02-30", None),
        ("", None),
    ],
)
def test_bibliographic_dates(text, expected):
    assert to_date(text) == expected


def test_channel_dates_in_odd_prism_forms_reach_the_items():
    """Science's channel gives 'May 21 2021 12:00:00:000AM' for the issue."""
    channel = feed("science-aaas_current_cdata_excerpt.rdf.xml")
    entry = RawEntry(title="Untimed", meta=(("prism:volume", "372"),))
    paper = article_from_entry(entry, channel)
    assert (paper.published, paper.year) == (date(2021, 5, 21), 2021)
    synthetic = feed("atypon-schema_synthetic_zotero.rdf.xml")
    assert synthetic.meta_values("prism:publicationDate") == ("2016-01-07-08:00",)


def test_ingenta_items_take_the_year_from_the_channel_issue_date():
    paper = article("ingenta_systematic-botany.rdf.xml", 0)
    assert (paper.year, paper.published) == (2021, None)  # channel: "October 2021"


# --- which DOI is the item's own -------------------------------------------------------

_PLAIN = RawFeed(source="t", version="rss20")


def _paper(**fields):
    return article_from_entry(RawEntry(**fields), _PLAIN)


def test_prism_doi_beats_identifier_and_link():
    paper = _paper(
        link="https://doi.org/10.1000/from-link",
        meta=(("dc:identifier", "doi:10.1000/from-dc"), ("prism:doi", "10.1000/from-prism")),
    )
    assert paper.doi == "10.1000/from-prism"


@pytest.mark.parametrize(
    "identifier",
    ["doi:10.1000/abc", "doi: 10.1000/abc", "info:doi/10.1000/abc", "10.1000/abc"],
)
def test_dc_identifier_doi_forms(identifier):
    meta = (("dc:identifier", "hwp:resource-id:sci;1/2/3"), ("dc:identifier", identifier))
    assert _paper(meta=meta).doi == "10.1000/abc"


def test_identifier_that_is_not_a_doi_is_not_evidence():
    assert _paper(title="Post", meta=(("dc:identifier", "post-1234"),)) is None


@pytest.mark.parametrize(
    ("link", "guid"),
    [
        ("https://dx.doi.org/10.4039/tce.2021.38?rft_dat=source%3Ddrss", None),
        ("https://onlinelibrary.wiley.com/doi/abs/10.4039/tce.2021.38?af=R", None),
        ("https://www.tandfonline.com/doi/full/10.4039/tce.2021.38", None),
        ("https://example.org/content/journal/x/10.4039/tce.2021.38?TRACK=RSS", None),
        ("https://journals.example.org/article?id=10.4039/tce.2021.38", None),
        ("https://publisher.example.org/a/1", "10.4039/tce.2021.38"),
        ("https://publisher.example.org/a/1", "http://doi.org/10.4039/tce.2021.38"),
    ],
)
def test_doi_in_link_or_guid_makes_a_paper(link, guid):
    paper = _paper(title="T", link=link, guid=guid)
    assert paper is not None and paper.doi == "10.4039/tce.2021.38"


def test_a_doi_in_the_abstract_is_not_the_items_own():
    """IJSEM abstracts link Names-for-Life DOIs (10.1601/nm.*); the link path has
    the article's DOI."""
    raw = feed("microbiology-society_ijsem.rss.xml")
    assert "10.1601/nm." in (raw.entries[0].summary_html or "")
    for entry in raw.entries:
        assert not article_from_entry(entry, raw).doi.startswith("10.1601/")


def test_blog_post_that_links_a_doi_is_not_a_paper():
    body = (
        "<p>A new study in Nature shows that ... (Doe et al., 2025).</p>"
        '<p>Read it: <a href="https://doi.org/10.1038/s41586-025-01234-5">the paper</a></p>'
        "<p>DOI: 10.1038/s41586-025-01234-5</p>"
    )
    entry = RawEntry(
        title="What the new study means",
        link="https://blog.example.org/2025/10/what-it-means/",
        creators=("Jane Doe",),
        content_html=body,
        summary_html=body,
        meta=(("dc:creator", "Jane Doe"),),
    )
    assert article_from_entry(entry, _PLAIN) is None


@pytest.mark.parametrize(
    "path", ["scienmag-neuroimaging-in-psychiatry.rss", "scienmag-mutated.rss"]
)
def test_news_stories_with_a_footer_doi_are_not_papers(path):
    raw = read_feed(str(DATA / path))
    assert [article_from_entry(e, raw) for e in raw.entries] == [None] * len(raw.entries)


def test_labelled_doi_counts_only_with_an_author_line():
    pensoft = (
        "<p>ZooKeys 1: 1-10</p><p>DOI: 10.3897/zookeys.1.1</p><p>Authors: Ann Lee, Bo Chen</p>"
    )
    paper = _paper(title="T", summary_html=pensoft)
    assert (paper.doi, [a.family for a in paper.authors]) == (
        "10.3897/zookeys.1.1",
        ["Lee", "Chen"],
    )
    assert _paper(title="T", summary_html="<p>DOI: 10.3897/zookeys.1.1</p>") is None


# --- other identifiers -----------------------------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"guid": "pubmed:34929406"},
        {"link": "https://pubmed.ncbi.nlm.nih.gov/34929406/?utm_source=rss"},
        {"meta": (("dc:identifier", "pmid:34929406"),)},
    ],
)
def test_pmid_forms(fields):
    assert _paper(title="T", **fields).pmid == "34929406"


@pytest.mark.parametrize(
    ("guid", "arxiv_id"),
    [
        ("http://arxiv.org/abs/2101.00001v3", "2101.00001"),
        ("oai:arXiv.org:2101.00001v1", "2101.00001"),
        ("http://arxiv.org/abs/astro-ph/0601001v1", "astro-ph/0601001"),
        ("http://arxiv.org/abs/math.GT/0309136v2", "math.GT/0309136"),
    ],
)
def test_arxiv_ids_and_the_datacite_doi(guid, arxiv_id):
    paper = _paper(title="T", guid=guid)
    assert (paper.arxiv_id, paper.doi) == (arxiv_id, f"10.48550/arXiv.{arxiv_id}")


def test_arxiv_doi_names_the_published_version():
    paper = article("arxiv_api_query-testing_100.atom.xml", 0)
    assert paper.doi == "10.1109/ICSTW55395.2022.00035"
    assert paper.arxiv_id == "2202.12139"


def test_issns_validated_normalised_and_deduplicated():
    channel = RawFeed(
        source="t",
        version="rss10",
        meta=(("prism:issn", "0008347X"), ("prism:eissn", "19183240"), ("prism:issn", "0000-0000")),
    )
    entry = RawEntry(title="T", meta=(("prism:issn", "0008-347x"), ("prism:eIssn", "1234-5678")))
    assert article_from_entry(entry, channel).issns == ("0008-347X", "1918-3240")
    assert normalize_issn("1095-9203") == "1095-9203"
    assert normalize_issn("1095-9204") is None


# --- not papers ------------------------------------------------------------------------


def test_registry_records_are_not_papers():
    """ZooBank items are registrations (of authors, nomenclatural acts and
    publications: the item is the LSID record, dated when it was registered, not a
    paper; a registered publication's citation is a reference to a paper).  WoRMS
    items are taxa added to the register by an editor (dc:creator)."""
    for name in ("zoobank_registrations.rss.xml", "worms_taxon-additions.rss.xml"):
        raw = feed(name)
        assert all(article_from_entry(e, raw) is None for e in raw.entries)


def test_plain_stories_are_rejected_without_reading_the_text(monkeypatch):
    import kg.extract.bibliographic as bibliographic

    def fail(*args, **kwargs):
        raise AssertionError("the description was read")

    monkeypatch.setattr(bibliographic, "html_to_lines", fail)
    story = RawEntry(
        title="Telescope sees a new comet",
        link="https://news.example.org/2025/10/comet",
        creators=("Ann Lee",),
        summary_html="<p>Astronomers spotted a comet on Tuesday; it will pass close.</p>" * 20,
        meta=(("dc:creator", "Ann Lee"), ("dc:date", "2025-10-18")),
    )
    assert article_from_entry(story, _PLAIN) is None


def test_group_author_kept_whole():
    paper = article("wiley_taxon_toc.rss.xml", 1)
    assert (paper.authors[0].family, paper.authors[0].given) == ("The Brazil Flora Group", "")
    assert paper.authors[1].family == "Gomes‐da‐Silva"


raw_text = st.text(max_size=40)
meta_keys = st.sampled_from(
    [
        "prism:doi",
        "prism:volume",
        "prism:startingPage",
        "prism:coverDate",
        "prism:issn",
        "dc:identifier",
        "dc:date",
        "dc:source",
        "arxiv:journal_ref",
        "arxiv:doi",
        "foaf:maker",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    st.builds(
        RawEntry,
        title=st.none() | raw_text,
        link=st.none() | raw_text,
        guid=st.none() | raw_text,
        published=st.none() | raw_text,
        creators=st.lists(raw_text, max_size=3).map(tuple),
        summary_html=st.none() | raw_text,
        content_html=st.none() | raw_text,
        meta=st.lists(st.tuples(meta_keys, raw_text), max_size=6).map(tuple),
    )
)
def test_any_entry_never_crashes(entry):
    paper = article_from_entry(entry, _PLAIN)
    assert paper is None or paper.origin == "item"


def test_pubmed_item_without_metadata_keeps_its_citation_line_facts():
    """The tolerant reader may keep only the body: the citation line still names
    the journal, volume, issue, article number and the labelled DOI."""
    raw = feed("pubmed_search.rss.xml").entries[1]
    bare = RawEntry(title=raw.title, link=raw.link, content_html=raw.content_html)
    paper = article_from_entry(bare, _PLAIN)
    assert paper.doi == "10.1007/s00203-021-02621-y"
    assert paper.pmid == "34928401"  # from the link
    assert (paper.journal, paper.journal_title) == ("Arch Microbiol", "Archives of Microbiology")
    assert (paper.volume, paper.issue, paper.article_number) == ("204", "1", "39")
    assert (paper.published, paper.year) == (date(2021, 12, 20), 2021)
