extension Knowledge {
    /// Forces, matter and energy.
    static let physicsTopics: [Topic] = [
        Topic(
            name: "gravity", area: .physics,
            keywords: ["gravity", "gravitational", "pull"],
            technical: [
                "Gravity is the attractive force between masses, proportional to the product of the masses and inversely proportional to the square of their distance.",
                "Near the surface of the Earth, gravitational acceleration is about 9.8 metres per second squared.",
                "In general relativity, gravity is described as the curvature of spacetime by mass and energy.",
                "Gravity keeps planets in orbit around the Sun and binds galaxies together.",
            ],
            simple: [
                "Gravity is a pull that makes things fall down to the ground.",
                "Everything that has stuff in it pulls on everything else.",
                "The Earth is so big that its pull is strong, so your feet stay on the ground.",
                "Gravity also keeps the Moon going around the Earth.",
                "On the Moon, gravity is weaker, so you could jump much higher.",
            ],
            analogies: [
                Analogy("gravity", "an invisible rope that pulls everything toward the Earth"),
                Analogy("the Earth bending space", "a heavy ball sitting on a trampoline so that marbles roll toward it"),
            ],
            facts: [
                Fact("Gravity pulls things toward the Earth.", ["pull", "earth"]),
                Fact("Gravity keeps the Moon going around the Earth.", ["moon"]),
                Fact("Bigger things have a stronger pull.", ["bigger", "stronger"]),
                Fact("Gravity on the Moon is weaker than on Earth.", ["weaker"]),
            ],
            misconception: Misconception(
                claim: "Heavy things fall faster than light things.",
                triggers: ["heavy things fall faster"],
                correction: "Without air in the way, a heavy ball and a light ball fall at the same speed."
            ),
            childQuestion: "What do you think would happen if you dropped a ball and a feather on the Moon?",
            storyIdea: "an apple that wondered why it always fell down",
            howTo: HowTo(
                questions: ["How can I see gravity at work at home?", "How can I test gravity with a simple experiment?"],
                steps: [
                    "Take two balls of the same size, one heavy and one light.",
                    "Hold them at the same height above a soft floor.",
                    "Let go of both at the very same moment.",
                    "Watch and listen to see which one lands first.",
                    "Try it again with a flat sheet of paper and a crumpled one.",
                ]
            )
        ),
        Topic(
            name: "magnets", isPlural: true, area: .physics,
            keywords: ["magnet", "magnetic", "pole"],
            technical: [
                "A magnet produces a magnetic field arising from the aligned spins of electrons in a ferromagnetic material.",
                "Every magnet has a north and a south pole; opposite poles attract and like poles repel.",
                "Ferromagnetic metals such as iron, nickel and cobalt are attracted to magnets.",
                "An electric current through a coil produces a magnetic field, forming an electromagnet.",
            ],
            simple: [
                "A magnet is a piece of metal or stone that can pull on some other metals.",
                "Every magnet has two ends called poles, a north pole and a south pole.",
                "A north pole and a south pole pull together, but two of the same poles push apart.",
                "Magnets stick to iron, like a fridge door, but not to wood or plastic.",
                "The Earth itself is a giant magnet, and that is why a compass points north.",
            ],
            analogies: [
                Analogy("the poles of a magnet", "two friends who hold hands, while two of the same pole turn away from each other"),
                Analogy("the space around a magnet", "an invisible bubble of pull"),
            ],
            facts: [
                Fact("Every magnet has a north pole and a south pole.", ["north", "south"]),
                Fact("Opposite poles pull together and the same poles push apart.", ["push"]),
                Fact("Magnets stick to iron.", ["iron"]),
                Fact("The Earth is a giant magnet, which is why a compass points north.", ["compass"]),
            ],
            misconception: Misconception(
                claim: "Magnets stick to every kind of metal.",
                triggers: ["every kind of metal"],
                correction: "Magnets pull on iron, nickel and cobalt, but not on metals like copper, gold or most coins."
            ),
            childQuestion: "Can you find three things in your kitchen that a magnet will stick to?",
            storyIdea: "two magnets who could not stop pushing each other away",
            howTo: HowTo(
                questions: ["How can I make a compass at home?", "How can I make a needle into a magnet?"],
                steps: [
                    "Stroke a sewing needle with a magnet about thirty times, always in the same direction.",
                    "Push the needle through a small piece of cork.",
                    "Float the cork in a bowl of water.",
                    "Wait until the needle stops turning.",
                    "It will point north and south, just like a real compass.",
                ]
            )
        ),
        Topic(
            name: "electricity", area: .physics,
            keywords: ["electricity", "electric", "circuit", "current"],
            technical: [
                "Electricity is the flow of electric charge, usually electrons moving through a conductor.",
                "Current is driven by a voltage, a difference in electric potential between two points.",
                "Resistance opposes the current, as described by Ohm's law, V equals I times R.",
                "A closed circuit is required for a steady current to flow.",
            ],
            simple: [
                "Electricity is a kind of energy made by tiny bits called electrons moving along a wire.",
                "It flows only when there is a full loop, called a circuit.",
                "A switch opens or closes the loop, so a lamp turns off or on.",
                "Metals like copper let electricity flow easily, but rubber and plastic do not.",
                "Electricity can be dangerous, so never touch plugs with wet hands.",
            ],
            analogies: [
                Analogy("electricity in a wire", "water flowing through a hose"),
                Analogy("a circuit", "a race track that must be a full loop for the cars to keep going"),
            ],
            facts: [
                Fact("Electricity is made by electrons moving.", ["electron"]),
                Fact("Electricity needs a full loop called a circuit to flow.", ["loop"]),
                Fact("Metals like copper let electricity flow easily.", ["copper"]),
                Fact("Rubber and plastic stop electricity.", ["rubber"]),
            ],
            misconception: Misconception(
                claim: "Electricity gets used up inside the wires as it flows.",
                triggers: ["used up inside the wires"],
                correction: "The electrons are not used up; they carry energy around the loop and come back."
            ),
            childQuestion: "How many things in your home can you count that need electricity?",
            storyIdea: "a little electron on a trip around a circuit",
            howTo: HowTo(
                questions: ["How can I make a lemon battery?", "How can I make electricity with a lemon?"],
                steps: [
                    "Push a copper coin and a zinc nail into a lemon, a little apart.",
                    "Make three or four of these lemons.",
                    "Join the coin of one lemon to the nail of the next with wires.",
                    "Touch the two free ends to a small light.",
                    "Watch the light glow a little, made by your lemons.",
                ]
            )
        ),
        Topic(
            name: "sound", area: .physics,
            keywords: ["sound", "vibrat", "echo", "loud"],
            technical: [
                "Sound is a mechanical wave of pressure that propagates through a medium such as air, water or solids.",
                "Its frequency determines the perceived pitch and its amplitude determines the loudness.",
                "In air at room temperature, sound travels at about 343 metres per second.",
                "Sound cannot propagate through a vacuum because there is no medium to compress.",
            ],
            simple: [
                "Sound is made when something shakes back and forth very fast.",
                "This shaking is called a vibration.",
                "The vibration pushes the air, and the push travels to your ears.",
                "Fast shaking makes a high sound, and slow shaking makes a low sound.",
                "In space there is no air, so there is no sound at all.",
            ],
            analogies: [
                Analogy("a sound moving through the air", "a ripple moving across a pond when you drop a stone"),
                Analogy("your ear drum", "a tiny drum that the air taps on"),
            ],
            facts: [
                Fact("Sound is made by things shaking, called vibrations.", ["vibration"]),
                Fact("Sound needs air or water or something to travel through.", ["air"]),
                Fact("There is no sound in space.", ["space"]),
                Fact("Fast shaking makes a high sound.", ["high"]),
            ],
            misconception: Misconception(
                claim: "Sound travels through empty space just like light does.",
                triggers: ["sound travels through empty space"],
                correction: "Sound needs something to travel through, so space is silent."
            ),
            childQuestion: "Can you put your hand on your throat and feel it shake when you hum?",
            storyIdea: "an echo that lived in a cave",
            howTo: HowTo(
                questions: ["How can I make a string telephone?", "How can I make a phone with cups and string?"],
                steps: [
                    "Take two paper cups and a long piece of string.",
                    "Make a small hole in the bottom of each cup.",
                    "Push the string through the holes and tie a knot inside each cup.",
                    "Walk apart until the string is tight.",
                    "Talk into one cup while a friend listens in the other.",
                ]
            )
        ),
        Topic(
            name: "friction", area: .physics,
            keywords: ["friction", "rub", "slide", "grip"],
            technical: [
                "Friction is the force that resists the relative motion of two surfaces in contact.",
                "Kinetic friction is roughly proportional to the normal force and depends on the coefficient of friction of the materials.",
                "Friction converts kinetic energy into thermal energy.",
                "Lubricants reduce friction by separating surfaces with a thin layer of fluid.",
            ],
            simple: [
                "Friction is a force that slows things down when they rub against each other.",
                "Rough things, like sandpaper, have a lot of friction.",
                "Smooth things, like ice, have very little friction, so you slide.",
                "Friction also makes heat, which is why your hands get warm when you rub them.",
                "Without friction, you could not walk, because your shoes would not grip the ground.",
            ],
            analogies: [
                Analogy("friction", "tiny bumps on two surfaces catching on each other like the teeth of two combs"),
                Analogy("oil between two parts", "a slide that lets the parts glide past each other"),
            ],
            facts: [
                Fact("Friction slows things down.", ["slow"]),
                Fact("Rubbing makes heat because of friction.", ["heat"]),
                Fact("Ice has very little friction.", ["ice"]),
                Fact("Friction lets our shoes grip the ground.", ["shoe"]),
            ],
            misconception: Misconception(
                claim: "Friction only happens on rough things.",
                triggers: ["only happens on rough"],
                correction: "Even smooth things have some friction, only less of it."
            ),
            childQuestion: "Can you rub your hands together fast and feel them get warm?",
            storyIdea: "a sled that wished the snow was a bit more slippery"
        ),
        Topic(
            name: "atoms", isPlural: true, area: .physics,
            keywords: ["atom", "proton", "neutron", "nucleus"],
            technical: [
                "An atom consists of a dense nucleus of protons and neutrons surrounded by a cloud of electrons.",
                "The number of protons, the atomic number, determines the chemical element.",
                "Atoms bond by sharing or transferring electrons to form molecules.",
                "A typical atom is about a tenth of a nanometre across.",
            ],
            simple: [
                "Atoms are the tiny building blocks that everything is made of.",
                "They are so small that millions of them would fit across the dot on this letter i.",
                "In the middle of each atom is a center with protons and neutrons.",
                "Even smaller bits called electrons zoom around the center.",
                "Atoms join together to make everything, from water to you.",
            ],
            analogies: [
                Analogy("atoms", "toy bricks that snap together to build everything"),
                Analogy("an atom", "a tiny sun with even tinier planets zooming around it"),
            ],
            facts: [
                Fact("Everything is made of atoms.", ["everything"]),
                Fact("Atoms have protons and neutrons in the center.", ["proton"]),
                Fact("Electrons move around the center of an atom.", ["electron"]),
                Fact("Atoms join together to make new things.", ["join"]),
            ],
            misconception: Misconception(
                claim: "Atoms are solid little balls with nothing inside.",
                triggers: ["solid little balls"],
                correction: "An atom is mostly empty space with a tiny center and electrons around it."
            ),
            childQuestion: "How many atoms do you think are in one grain of sand?",
            storyIdea: "an atom that wanted to find a friend to join with"
        ),
        Topic(
            name: "floating and sinking", area: .physics,
            keywords: ["float", "sink", "buoyan"],
            technical: [
                "Buoyancy is the upward force a fluid exerts on an immersed object, equal to the weight of the fluid displaced.",
                "An object floats when its average density is lower than the density of the fluid.",
                "Steel ships float because their hull encloses a large volume of air, lowering their average density.",
                "This relation is known as Archimedes' principle.",
            ],
            simple: [
                "Things float when the water pushes up on them as hard as they push down.",
                "When something goes into water, it pushes some water out of the way.",
                "The water pushes back up on it.",
                "If the thing is light for its size, the push is enough, and it floats.",
                "A big metal ship floats because it is full of air.",
            ],
            analogies: [
                Analogy("water pushing up on a boat", "a hand holding up a ball from below"),
                Analogy("a ship full of air", "a bowl that floats in the bath while a spoon sinks"),
            ],
            facts: [
                Fact("Water pushes up on things in it.", ["push", "up"]),
                Fact("Things that are light for their size float.", ["light", "size"]),
                Fact("A metal ship floats because it is full of air.", ["ship"]),
                Fact("Salty water helps things float better.", ["salt"]),
            ],
            misconception: Misconception(
                claim: "Heavy things always sink and light things always float.",
                triggers: ["heavy things always sink"],
                correction: "What matters is how heavy a thing is for its size, which is why a huge ship floats and a tiny pebble sinks."
            ),
            childQuestion: "Which of your bath toys do you think will float, and which will sink?",
            storyIdea: "a little boat made of foil that carried a hundred coins",
            howTo: HowTo(
                questions: ["How can I make an egg float?", "How can I make an egg float in water?"],
                steps: [
                    "Fill a tall glass with water and gently put in an egg.",
                    "Watch the egg sink to the bottom.",
                    "Take the egg out and stir in lots of salt.",
                    "Put the egg back in.",
                    "Now the salty water pushes harder, and the egg floats.",
                ]
            )
        ),
        Topic(
            name: "melting and freezing", area: .physics,
            keywords: ["melt", "freez", "solid", "liquid"],
            technical: [
                "Melting is the phase transition from solid to liquid that occurs when a substance absorbs enough thermal energy to break its rigid lattice.",
                "Pure water ice melts at zero degrees Celsius at standard pressure.",
                "During a phase transition the temperature stays constant while latent heat is absorbed or released.",
                "Freezing is the reverse transition, releasing the latent heat of fusion.",
            ],
            simple: [
                "Melting is when a solid, like ice, gets warm and turns into a liquid, like water.",
                "Freezing is the other way around, when a liquid gets cold and turns solid.",
                "Water freezes into ice when it gets colder than zero degrees.",
                "Heat makes the tiny bits in the ice shake until they let go of each other.",
                "Chocolate, butter and even rock can melt if they get hot enough.",
            ],
            analogies: [
                Analogy("the bits in ice", "children holding hands in a tight ring, who let go and run around when they get warm"),
                Analogy("melting", "a snowman slowly turning into a puddle on a sunny day"),
            ],
            facts: [
                Fact("Ice melts into water when it gets warm.", ["ice", "warm"]),
                Fact("Water freezes at zero degrees.", ["zero"]),
                Fact("Heat makes solids melt.", ["heat"]),
                Fact("Even rock melts if it gets hot enough.", ["rock"]),
            ],
            misconception: Misconception(
                claim: "Ice keeps getting colder and colder the longer it stays in the freezer.",
                triggers: ["colder and colder"],
                correction: "Ice only gets as cold as the freezer around it."
            ),
            childQuestion: "What do you think melts faster in the sun, an ice cube or a piece of chocolate?",
            storyIdea: "a snowman who saw spring coming",
            howTo: HowTo(
                questions: ["How can I make ice melt faster?", "How can I make ice cream at home?"],
                steps: [
                    "Put some ice cubes in a bag and add a big spoon of salt.",
                    "Put milk, sugar and a drop of vanilla in a small bag and close it tight.",
                    "Place the small bag inside the bag of salty ice.",
                    "Shake it for about five minutes, wearing gloves.",
                    "The salt makes the ice melt and get very cold, and your milk freezes into ice cream.",
                ]
            )
        ),
    ]
}
