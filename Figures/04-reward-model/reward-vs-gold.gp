# Reward model against the gold judge on held-out answers (Spearman 0.47)
# Render from this directory: gnuplot reward-vs-gold.gp  (writes reward-vs-gold.png)
if (!exists("outfile")) outfile = 'reward-vs-gold.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Reward model against the gold judge on held-out answers (Spearman 0.47)'
set xlabel 'gold score (0-10)'
set ylabel 'reward r(x, y) (0 = mean SFT answer)'
set key top left box opaque
set grid
set offsets graph 0.05, graph 0.05, graph 0.05, graph 0.05
plot 'reward-vs-gold.dat' index 0 using 1:2 with points pt 7 ps 0.6 lc 1 title 'open-ended prompts', \
     'reward-vs-gold.dat' index 1 using 1:2 with points pt 7 ps 0.6 lc 2 title 'arithmetic prompts'
