extension Knowledge {
    /// The Sun, the Moon, the planets and beyond.
    static let spaceTopics: [Topic] = [
        Topic(
            name: "the sun", area: .space,
            keywords: ["sun", "fusion", "solar system", "daylight"],
            technical: [
                "The Sun is a G-type main-sequence star at the center of the Solar System.",
                "Its energy comes from nuclear fusion of hydrogen into helium in the core, at about fifteen million kelvin.",
                "Sunlight takes about eight minutes and twenty seconds to reach the Earth.",
                "The Sun contains more than ninety nine percent of the mass of the Solar System.",
            ],
            simple: [
                "The sun is a star, a giant ball of very hot gas.",
                "It is the closest star to us, so it looks much bigger and brighter than the others.",
                "Deep inside, tiny bits of gas smash together and give off heat and light.",
                "Its light takes about eight minutes to reach us.",
                "Without the sun, the Earth would be dark and frozen, and nothing could live here.",
            ],
            analogies: [
                Analogy("the sun", "a giant campfire in space that keeps the Earth warm"),
                Analogy("the size of the sun", "a beach ball next to a tiny pea, which is the Earth"),
            ],
            facts: [
                Fact("The sun is a star.", ["star"]),
                Fact("The sun is a ball of hot gas.", ["gas"]),
                Fact("Sunlight takes about eight minutes to reach Earth.", ["eight minutes"]),
                Fact("A million Earths could fit inside the sun.", ["million"]),
            ],
            misconception: Misconception(
                claim: "The sun is a giant ball of fire that burns like wood.",
                triggers: ["burns like wood"],
                correction: "The sun is not burning like a fire; it shines because tiny bits of gas smash together deep inside."
            ),
            childQuestion: "What do you think the Earth would be like if the sun went out for one day?",
            storyIdea: "a sun that wanted to take a day off",
            howTo: HowTo(
                questions: ["How can I make a sundial?", "How can I tell the time with the sun?"],
                steps: [
                    "Push a stick into the ground in a sunny spot.",
                    "Every hour, put a stone at the end of the stick's shadow.",
                    "Write the time next to each stone.",
                    "The next sunny day, look where the shadow points.",
                    "Never look straight at the sun, because it can hurt your eyes.",
                ]
            )
        ),
        Topic(
            name: "the moon", area: .space,
            keywords: ["moon", "lunar", "crater", "phase"],
            technical: [
                "The Moon is the Earth's only natural satellite, orbiting at an average distance of about three hundred and eighty four thousand kilometres.",
                "It is tidally locked, so the same hemisphere always faces the Earth.",
                "Its phases result from the changing angle between the Sun, the Earth and the Moon.",
                "The lunar surface is covered with regolith and impact craters.",
            ],
            simple: [
                "The moon is a big ball of rock that goes around the Earth.",
                "It does not make its own light; it shines because the sun lights it up.",
                "As the moon goes around us, we see different amounts of its lit side, so it seems to change shape.",
                "It takes about a month to go all the way around.",
                "The moon has round holes called craters, made by rocks crashing into it.",
            ],
            analogies: [
                Analogy("the moon", "a big mirror that bounces sunlight back to us"),
                Analogy("the phases of the moon", "a ball lit by a lamp that you walk around in a dark room"),
            ],
            facts: [
                Fact("The moon goes around the Earth.", ["around"]),
                Fact("The moon shines because the sun lights it.", ["light"]),
                Fact("It takes about a month for the moon to go around the Earth.", ["month"]),
                Fact("The moon has craters made by crashing rocks.", ["crater"]),
            ],
            misconception: Misconception(
                claim: "The moon makes its own light.",
                triggers: ["makes its own light"],
                correction: "The moon only reflects light from the sun."
            ),
            childQuestion: "Can you look at the moon every night this week and draw how its shape changes?",
            storyIdea: "a moon that was lonely in the night sky",
            howTo: HowTo(
                questions: ["How can I see the craters on the moon?", "How can I watch the moon change shape?"],
                steps: [
                    "Pick a clear night when the moon is half full.",
                    "Look along the line between the light and dark parts.",
                    "Use binoculars if you have them, resting them on a fence.",
                    "Draw what you see in a notebook.",
                    "Look again a few nights later and compare your drawings.",
                ]
            )
        ),
        Topic(
            name: "planets", isPlural: true, area: .space,
            keywords: ["planet", "orbit", "jupiter", "mars"],
            technical: [
                "A planet is a celestial body that orbits a star, is massive enough to be rounded by its own gravity and has cleared its orbital neighbourhood.",
                "The Solar System has four terrestrial planets and four giant planets.",
                "Jupiter is the largest planet, with more than twice the mass of all the other planets combined.",
                "Pluto was reclassified as a dwarf planet in 2006.",
            ],
            simple: [
                "A planet is a big round world that travels around a star.",
                "Eight planets go around our sun, and Earth is one of them.",
                "Mercury, Venus, Earth and Mars are small and rocky.",
                "Jupiter, Saturn, Uranus and Neptune are giant balls of gas and ice.",
                "Jupiter is the biggest, and more than a thousand Earths could fit inside it.",
            ],
            analogies: [
                Analogy("the planets going around the sun", "runners on a round track, each in its own lane"),
                Analogy("Jupiter next to Earth", "a basketball next to a marble"),
            ],
            facts: [
                Fact("Eight planets go around the sun.", ["eight"]),
                Fact("Jupiter is the biggest planet.", ["jupiter"]),
                Fact("Some planets are rocky and some are made of gas.", ["rocky", "gas"]),
                Fact("Mars is called the red planet.", ["mars"]),
            ],
            misconception: Misconception(
                claim: "The planets all line up in a straight row.",
                triggers: ["straight row"],
                correction: "Each planet moves at its own speed, so they are spread all around the sun."
            ),
            childQuestion: "Which planet would you visit first if you had a rocket?",
            storyIdea: "a little planet that wanted a moon of its own"
        ),
        Topic(
            name: "stars", isPlural: true, area: .space,
            keywords: ["stars", "constellation", "galaxy", "twinkle"],
            technical: [
                "Stars are luminous spheres of plasma held together by their own gravity and powered by nuclear fusion.",
                "A star's mass determines its temperature, color, luminosity and lifetime.",
                "Massive stars end their lives in supernova explosions, leaving neutron stars or black holes.",
                "The Milky Way galaxy contains between one hundred and four hundred billion stars.",
            ],
            simple: [
                "Stars are giant balls of hot, glowing gas, like our sun, but very far away.",
                "They look tiny because they are so far from us.",
                "Stars twinkle because their light wiggles as it passes through our air.",
                "Some stars are hotter and look blue, and cooler stars look red.",
                "People join bright stars into pictures called constellations.",
            ],
            analogies: [
                Analogy("a star far away", "a car headlight seen from many miles away, which looks like a tiny dot"),
                Analogy("a constellation", "a dot to dot drawing in the sky"),
            ],
            facts: [
                Fact("Stars are balls of hot gas like the sun.", ["gas"]),
                Fact("Stars look small because they are far away.", ["far"]),
                Fact("Blue stars are hotter than red stars.", ["blue"]),
                Fact("Groups of stars make pictures called constellations.", ["constellation"]),
            ],
            misconception: Misconception(
                claim: "Stars are small lights stuck to the sky.",
                triggers: ["stuck to the sky"],
                correction: "Stars are huge suns, many bigger than ours, that are very far away."
            ),
            childQuestion: "If you could draw your own constellation, what shape would it be?",
            storyIdea: "a small star who wanted to shine the brightest"
        ),
        Topic(
            name: "black holes", isPlural: true, area: .space,
            keywords: ["black hole", "event horizon", "spacetime"],
            technical: [
                "A black hole is a region of spacetime where gravity is so strong that nothing, not even light, can escape.",
                "Its boundary is the event horizon, whose radius is set by the black hole's mass.",
                "Stellar black holes form from the collapse of massive stars, and supermassive black holes sit at the centers of galaxies.",
                "Black holes are detected through their effects on nearby matter and through gravitational waves.",
            ],
            simple: [
                "A black hole is a place in space where gravity pulls so hard that nothing can get out, not even light.",
                "That is why it looks black.",
                "Many black holes form when a giant star runs out of fuel and squeezes into a tiny space.",
                "The edge you cannot come back from is called the event horizon.",
                "There is a huge black hole in the middle of our galaxy.",
            ],
            analogies: [
                Analogy("a black hole", "a drain in space that swallows anything that gets too close"),
                Analogy("the edge of a black hole", "the top of a waterfall where the water can no longer swim back"),
            ],
            facts: [
                Fact("Not even light can get out of a black hole.", ["light"]),
                Fact("Black holes form when giant stars squeeze down.", ["giant star"]),
                Fact("The edge of a black hole is called the event horizon.", ["event horizon"]),
                Fact("There is a black hole in the middle of our galaxy.", ["middle"]),
            ],
            misconception: Misconception(
                claim: "Black holes suck in everything in space like a vacuum cleaner.",
                triggers: ["like a vacuum cleaner"],
                correction: "From far away, a black hole pulls like any star of the same weight; only things that come very close fall in."
            ),
            childQuestion: "What would you pack for a trip to look at a black hole from a safe distance?",
            storyIdea: "a spaceship that sailed near a black hole"
        ),
        Topic(
            name: "the seasons", isPlural: true, area: .space,
            keywords: ["season", "summer", "winter", "tilt"],
            technical: [
                "The seasons result from the 23.4 degree tilt of the Earth's rotational axis relative to its orbital plane.",
                "The hemisphere tilted toward the Sun receives more direct insolation and longer days.",
                "Solstices mark the extremes of the Sun's declination, and equinoxes mark equal day and night.",
                "Seasons are reversed between the northern and southern hemispheres.",
            ],
            simple: [
                "The seasons are summer, autumn, winter and spring.",
                "They happen because the Earth is tipped a little to one side as it goes around the sun.",
                "When your half of the Earth leans toward the sun, the days are long and warm, and it is summer.",
                "When it leans away, the days are short and cold, and it is winter.",
                "When it is summer in one half of the world, it is winter in the other half.",
            ],
            analogies: [
                Analogy("the tilted Earth", "a spinning top that leans a little to one side"),
                Analogy("sunlight in winter", "a flashlight shining at a slant, so the light is spread thin"),
            ],
            facts: [
                Fact("The Earth is tipped to one side.", ["tip"]),
                Fact("Summer days are long and warm.", ["long"]),
                Fact("Winter days are short and cold.", ["short"]),
                Fact("When it is summer in one half of the world, it is winter in the other half.", ["other half"]),
            ],
            misconception: Misconception(
                claim: "It is summer when the Earth is closest to the sun.",
                triggers: ["closest to the sun"],
                correction: "Summer comes from the Earth's tilt; the Earth is actually closest to the sun in January."
            ),
            childQuestion: "Which season do you like best, and what do you love doing in it?",
            storyIdea: "a tree that watched the four seasons go by"
        ),
        Topic(
            name: "comets", isPlural: true, area: .space,
            keywords: ["comet", "icy", "coma", "tail"],
            technical: [
                "A comet is an icy small body that releases gas and dust when its orbit brings it close to the Sun.",
                "Sublimating ices form a coma around the nucleus and tails that point away from the Sun.",
                "Long-period comets originate in the distant Oort cloud, and short-period comets in the Kuiper belt.",
                "Meteor showers occur when the Earth passes through debris left along a comet's orbit.",
            ],
            simple: [
                "A comet is a big, dirty snowball of ice and dust that travels around the sun.",
                "Most of the time it is far away, cold and dark.",
                "When it comes near the sun, the ice warms up and turns into gas.",
                "The gas and dust make a long glowing tail that always points away from the sun.",
                "Some comets come back again and again, like visitors on a long trip.",
            ],
            analogies: [
                Analogy("a comet", "a dirty snowball on a very long trip"),
                Analogy("a comet's tail", "hair blowing back in the wind from the sun"),
            ],
            facts: [
                Fact("Comets are made of ice and dust.", ["ice", "dust"]),
                Fact("Comets grow a tail near the sun.", ["tail"]),
                Fact("A comet's tail points away from the sun.", ["away"]),
                Fact("Some comets come back again and again.", ["come back"]),
            ],
            misconception: Misconception(
                claim: "A comet's tail always trails behind it, like smoke behind a train.",
                triggers: ["trails behind"],
                correction: "A comet's tail points away from the sun, so it can even lead the way."
            ),
            childQuestion: "If a comet visited every hundred years, how old would you be when it came back?",
            storyIdea: "a comet that visited the Earth once every hundred years"
        ),
    ]
}
