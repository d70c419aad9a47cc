extension Knowledge {
    /// The Earth, its weather and its rocks.
    static let earthTopics: [Topic] = [
        Topic(
            name: "volcanoes", isPlural: true, area: .earth,
            keywords: ["volcano", "lava", "magma", "erupt"],
            technical: [
                "A volcano is a rupture in the crust through which magma, volcanic ash and gases escape from a magma chamber below the surface.",
                "Most volcanoes occur at convergent or divergent tectonic plate boundaries, while others form above mantle hotspots.",
                "The viscosity and gas content of the magma determine whether an eruption is effusive or explosive.",
                "Magma that reaches the surface is called lava.",
            ],
            simple: [
                "A volcano is a mountain with a hole that goes deep down to melted rock.",
                "Deep under the ground it is so hot that rock melts into a thick, glowing liquid.",
                "When the melted rock pushes up and bursts out of the top, we say the volcano erupts.",
                "Melted rock that comes out is called lava, and it cools into new rock.",
                "Some islands were made by volcanoes.",
            ],
            analogies: [
                Analogy("a volcano erupting", "a shaken bottle of soda that sprays when you open it"),
                Analogy("lava", "very hot, runny honey made of rock"),
            ],
            facts: [
                Fact("Melted rock under the ground is called magma.", ["magma"]),
                Fact("Melted rock that comes out of a volcano is called lava.", ["lava"]),
                Fact("Lava cools down and turns into new rock.", ["cool", "rock"]),
                Fact("Some islands were made by volcanoes.", ["island"]),
            ],
            misconception: Misconception(
                claim: "Lava comes from the very center of the Earth.",
                triggers: ["center of the earth"],
                correction: "Lava comes from pockets of melted rock only a few miles under the ground."
            ),
            childQuestion: "If you could stand safely near a volcano, what would you want to see first?",
            storyIdea: "a sleepy volcano that woke up one morning",
            howTo: HowTo(
                questions: ["How can I make a volcano at home?", "How can I make a baking soda volcano?"],
                steps: [
                    "Put a small bottle on a tray and build a mountain of clay or sand around it.",
                    "Put two spoons of baking soda into the bottle.",
                    "Add a drop of red food color and a squirt of dish soap.",
                    "Pour in half a cup of vinegar.",
                    "Step back and watch the foam burst out like lava.",
                ]
            )
        ),
        Topic(
            name: "earthquakes", isPlural: true, area: .earth,
            keywords: ["earthquake", "quake", "tectonic", "shake"],
            technical: [
                "An earthquake is the sudden release of strain energy along a fault, producing seismic waves that propagate through the crust.",
                "Most earthquakes occur at the boundaries of tectonic plates.",
                "Seismometers record ground motion, and magnitude is reported on a logarithmic scale.",
                "The point of rupture underground is the focus, and the point on the surface above it is the epicenter.",
            ],
            simple: [
                "An earthquake is when the ground suddenly shakes.",
                "The outside of the Earth is cut into giant pieces called plates, which move very slowly.",
                "Sometimes two plates get stuck, and then they slip all at once.",
                "That sudden slip sends shaking through the ground.",
                "Most earthquakes are small, and people do not even feel them.",
            ],
            analogies: [
                Analogy("two plates getting stuck and slipping", "pushing a heavy box that sticks and then jumps forward"),
                Analogy("the shaking spreading out", "ripples spreading across a pond"),
            ],
            facts: [
                Fact("The Earth's outside is made of giant pieces called plates.", ["plate"]),
                Fact("Earthquakes happen when plates slip.", ["slip"]),
                Fact("Most earthquakes are too small to feel.", ["small"]),
                Fact("Scientists measure earthquakes with machines called seismometers.", ["seismometer"]),
            ],
            misconception: Misconception(
                claim: "The ground opens up and swallows whole towns in an earthquake.",
                triggers: ["swallows"],
                correction: "The ground shakes and can crack a little, but it does not open up and swallow towns."
            ),
            childQuestion: "Do you know the safe place to go in your room if the ground starts to shake?",
            storyIdea: "a town that learned to build houses that could dance when the ground shook"
        ),
        Topic(
            name: "rainbows", isPlural: true, area: .earth,
            keywords: ["rainbow", "prism", "refract"],
            technical: [
                "A rainbow is an optical phenomenon caused by refraction, dispersion and internal reflection of sunlight in water droplets.",
                "Each wavelength is refracted by a slightly different angle, separating white light into a spectrum.",
                "The primary bow appears at about 42 degrees from the point opposite the Sun.",
                "A secondary bow, with reversed colors, results from two internal reflections.",
            ],
            simple: [
                "A rainbow is a big arc of colors in the sky.",
                "Sunlight looks white, but it is really all the colors mixed together.",
                "When sunlight shines into raindrops, the drops bend the light and split it into colors.",
                "You see a rainbow when the sun is behind you and the rain is in front of you.",
                "The colors are red, orange, yellow, green, blue and violet.",
            ],
            analogies: [
                Analogy("a raindrop", "a tiny glass prism that splits light into colors"),
                Analogy("white sunlight", "a box of crayons all mixed together"),
            ],
            facts: [
                Fact("Sunlight is made of all the colors mixed together.", ["colors", "sunlight"]),
                Fact("Raindrops bend light and split it into colors.", ["bend"]),
                Fact("To see a rainbow, the sun must be behind you.", ["behind"]),
                Fact("Red is always on the outside of a rainbow.", ["red", "outside"]),
            ],
            misconception: Misconception(
                claim: "A rainbow is a real object that you could walk up to and touch.",
                triggers: ["walk up to"],
                correction: "A rainbow is light seen from one spot, so it moves away as you walk toward it."
            ),
            childQuestion: "The next time it rains while the sun shines, will you turn your back to the sun and look for a rainbow?",
            storyIdea: "a girl who chased a rainbow to find where it ended",
            howTo: HowTo(
                questions: ["How can I see a rainbow at home?", "How can I make a rainbow at home?", "How can I make a rainbow with a glass of water?"],
                steps: [
                    "Fill a clear glass with water.",
                    "Put it on a sunny window sill, or shine a flashlight through it.",
                    "Put a sheet of white paper on the floor below.",
                    "Move the paper until the colors show up.",
                    "You can also stand with the sun behind you and spray a fine mist from a garden hose.",
                ]
            )
        ),
        Topic(
            name: "the water cycle", area: .earth,
            keywords: ["water cycle", "evaporat", "condens", "precipitation"],
            technical: [
                "The water cycle describes the continuous movement of water between the oceans, the atmosphere and the land.",
                "Solar energy drives evaporation from surface water and transpiration from plants.",
                "Water vapor cools as it rises and condenses on aerosol particles to form clouds.",
                "Precipitation returns water to the surface, where it runs off into rivers or infiltrates the ground.",
            ],
            simple: [
                "The water cycle is the trip that water takes around and around our world.",
                "The sun warms water in seas and lakes, and it rises into the air as a gas we cannot see.",
                "High up it cools down and turns into tiny drops that make clouds.",
                "When the drops get big and heavy, they fall as rain or snow.",
                "The rain runs into rivers and back to the sea, and the trip starts again.",
            ],
            analogies: [
                Analogy("the water cycle", "a never ending merry go round for water"),
                Analogy("a cloud forming", "the drops that form on a cold glass of juice on a hot day"),
            ],
            facts: [
                Fact("The sun warms water and turns it into a gas that rises.", ["sun", "rise"]),
                Fact("Clouds are made of tiny drops of water.", ["cloud"]),
                Fact("Rain and snow fall when the drops get heavy.", ["rain", "snow"]),
                Fact("The same water goes around and around for millions of years.", ["same water"]),
            ],
            misconception: Misconception(
                claim: "Clouds are made of smoke or steam from factories.",
                triggers: ["made of smoke"],
                correction: "Clouds are made of tiny drops of water or bits of ice."
            ),
            childQuestion: "Where do you think the water in your glass was a hundred years ago?",
            storyIdea: "a little drop of water that travelled from the sea to the sky and back",
            howTo: HowTo(
                questions: ["How can I make a cloud in a jar?", "How can I show the water cycle at home?"],
                steps: [
                    "Ask a grown-up to pour some hot water into a clear jar.",
                    "Put a plate on top of the jar with ice cubes on it.",
                    "Watch the warm water rise and cool under the cold plate.",
                    "Tiny drops will form under the plate like a cloud.",
                    "Soon the drops get heavy and fall back down like rain.",
                ]
            )
        ),
        Topic(
            name: "lightning", area: .earth,
            keywords: ["lightning", "thunder", "storm"],
            technical: [
                "Lightning is an electrostatic discharge between regions of opposite charge within a cloud, between clouds, or between a cloud and the ground.",
                "Charge separation arises from collisions between ice crystals and graupel in a thunderstorm updraft.",
                "The discharge channel heats the air to around thirty thousand kelvin, causing rapid expansion heard as thunder.",
                "Because light travels faster than sound, the flash is seen before the thunder is heard.",
            ],
            simple: [
                "Lightning is a giant spark of electricity in a storm.",
                "Inside a storm cloud, bits of ice bump into each other and build up electricity.",
                "When there is too much, it jumps to another cloud or to the ground in a bright flash.",
                "The flash makes the air so hot that it bangs, and that bang is thunder.",
                "You see lightning before you hear thunder because light is faster than sound.",
            ],
            analogies: [
                Analogy("lightning", "the tiny spark you feel when you touch a door after rubbing your socks on a rug, but millions of times bigger"),
                Analogy("thunder", "the air clapping its hands after the flash"),
            ],
            facts: [
                Fact("Lightning is a big spark of electricity.", ["spark"]),
                Fact("Thunder is the sound that lightning makes.", ["thunder"]),
                Fact("Light is faster than sound, so we see the flash first.", ["faster"]),
                Fact("Lightning is hotter than the surface of the sun.", ["hotter"]),
            ],
            misconception: Misconception(
                claim: "Lightning never strikes the same place twice.",
                triggers: ["never strikes the same place"],
                correction: "Lightning often hits the same tall place again and again."
            ),
            childQuestion: "Next time you see a flash, can you count the seconds until you hear the thunder?",
            storyIdea: "a storm cloud that was scared of its own thunder"
        ),
        Topic(
            name: "tornadoes", isPlural: true, area: .earth,
            keywords: ["tornado", "twister", "funnel", "spin"],
            technical: [
                "A tornado is a violently rotating column of air extending from a cumulonimbus cloud to the ground.",
                "Tornadoes typically form in supercell thunderstorms where wind shear produces a rotating updraft called a mesocyclone.",
                "Wind speeds in the strongest tornadoes exceed three hundred kilometres per hour.",
                "Tornado intensity is rated on the Enhanced Fujita scale from damage surveys.",
            ],
            simple: [
                "A tornado is a tall tube of wind that spins very fast.",
                "It reaches down from a big storm cloud to the ground.",
                "Warm wet air rising and cold air sinking can start the air spinning.",
                "The wind in a tornado can be strong enough to lift cars and break houses.",
                "Most tornadoes only last a few minutes.",
            ],
            analogies: [
                Analogy("a tornado", "water spinning down the drain of a bath, but made of air and turned upside down"),
                Analogy("the funnel of a tornado", "a giant spinning top hanging from the sky"),
            ],
            facts: [
                Fact("A tornado is spinning wind that reaches from a cloud to the ground.", ["cloud", "ground"]),
                Fact("Tornadoes come from big storms.", ["storm"]),
                Fact("Tornado winds can lift cars.", ["car"]),
                Fact("Most tornadoes last only a few minutes.", ["minutes"]),
            ],
            misconception: Misconception(
                claim: "Opening the windows keeps a house safe from a tornado.",
                triggers: ["opening the windows"],
                correction: "Opening windows does not help; the safe thing is to go to a basement or an inside room."
            ),
            childQuestion: "Can you make your own tiny tornado by spinning water in a bottle?",
            storyIdea: "a farm dog who sensed a tornado coming"
        ),
        Topic(
            name: "fossils", isPlural: true, area: .earth,
            keywords: ["fossil", "sediment", "imprint"],
            technical: [
                "A fossil is the preserved remains or trace of an organism from a past geological age.",
                "Most fossils form when remains are rapidly buried in sediment and minerals gradually replace the original tissue.",
                "Trace fossils such as footprints and burrows record behaviour rather than anatomy.",
                "Radiometric dating of surrounding rock layers establishes the age of a fossil.",
            ],
            simple: [
                "A fossil is what is left of a plant or animal that lived a very long time ago.",
                "When an animal died in mud or sand, it got covered up quickly.",
                "Over millions of years, the mud turned to rock, and the bones slowly turned to stone too.",
                "Footprints and shells can also become fossils.",
                "Fossils tell us about dinosaurs and other animals that are gone now.",
            ],
            analogies: [
                Analogy("a fossil", "a stone copy of a bone, like a cake mold that keeps its shape"),
                Analogy("layers of rock", "pages in a history book, with the oldest at the bottom"),
            ],
            facts: [
                Fact("Fossils are what is left of things that lived long ago.", ["long ago"]),
                Fact("Fossils form when bones are covered in mud or sand.", ["mud"]),
                Fact("Over millions of years, bones turn to stone.", ["stone"]),
                Fact("Footprints can become fossils too.", ["footprint"]),
            ],
            misconception: Misconception(
                claim: "Fossils are the real bones of the animal, just very old.",
                triggers: ["real bones"],
                correction: "Most fossils are stone that slowly took the place of the bone."
            ),
            childQuestion: "If you found a fossil in your garden, what animal would you hope it was?",
            storyIdea: "a boy who found a fossil footprint on the beach",
            howTo: HowTo(
                questions: ["How can I make a fossil at home?", "How can I make my own fossil?"],
                steps: [
                    "Press a shell or a small toy into a ball of clay.",
                    "Lift it out carefully to leave a print.",
                    "Mix some plaster with water and pour it into the print.",
                    "Let it dry for a day.",
                    "Peel away the clay, and you have a fossil copy.",
                ]
            )
        ),
        Topic(
            name: "tides", isPlural: true, area: .earth,
            keywords: ["tide", "high tide", "low tide", "shore"],
            technical: [
                "Tides are the periodic rise and fall of sea level caused by the differential gravitational attraction of the Moon and the Sun.",
                "The Moon's gravity produces two tidal bulges on opposite sides of the Earth.",
                "Most coasts experience two high tides and two low tides roughly every twenty four hours and fifty minutes.",
                "Spring tides occur when the Sun and Moon are aligned, and neap tides when they are at right angles.",
            ],
            simple: [
                "Tides are when the sea slowly comes up the beach and then goes back out again.",
                "The Moon pulls on the water of the sea.",
                "This pull makes the sea bulge a little toward the Moon.",
                "As the Earth turns, a beach moves into the bulge and out again.",
                "Most beaches have two high tides and two low tides every day.",
            ],
            analogies: [
                Analogy("the Moon pulling the sea", "a magnet slowly pulling on a blanket of water"),
                Analogy("the tide going in and out", "the sea breathing in and out very slowly"),
            ],
            facts: [
                Fact("The Moon's pull causes the tides.", ["moon"]),
                Fact("There are two high tides every day.", ["two"]),
                Fact("At low tide you can see more of the beach.", ["beach"]),
                Fact("The sun helps make the tides too.", ["sun"]),
            ],
            misconception: Misconception(
                claim: "Tides are made by the wind blowing the water onto the beach.",
                triggers: ["wind blowing the water"],
                correction: "Tides come from the pull of the Moon and the Sun, not from the wind."
            ),
            childQuestion: "Next time you are at the beach, can you mark where the water reaches and check again an hour later?",
            storyIdea: "a crab who waited for the tide to come back"
        ),
    ]
}
